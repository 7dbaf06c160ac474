#!/usr/bin/env bash
# Writes the public tables of the tabular benchmark as CSV files, each with an id column and a
# label column (normal / anomaly) set by a fixed rule, into tests/data/tabular (not committed).
# The tables come from Debian packages, read once; nothing is downloaded from a data hub:
#   python3-sklearn    breast_cancer.csv, digits.csv.gz (scikit-learn's bundled copies of the UCI tables)
#   r-cran-kernlab     spam, musk
#   r-cran-mlbench     Ionosphere, Satellite, PimaIndiansDiabetes
#   r-cran-modeldata   credit_data, attrition
#
#   bash tests/tabular/fetch-tables.sh [OUT_DIR]
#
# The rule of each table (which class is the anomaly) is written beside it in rules.tsv. The
# benchmark then keeps at most 10% anomalies, chosen by a seeded hash of the id (see
# TabularBenchmarkCommand), so the rule here keeps every row.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-tests/data/tabular}
PACKAGES=(python3-sklearn r-base-core r-cran-kernlab r-cran-mlbench r-cran-modeldata)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}" > /dev/null
fi
SKLEARN=$(dpkg -L python3-sklearn | grep '/sklearn/datasets/data/breast_cancer.csv$' | xargs dirname)
mkdir -p "$OUT"
Rscript --vanilla - "$OUT" "$SKLEARN" <<'RSCRIPT'
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; sklearn <- args[2]
suppressPackageStartupMessages({ library(kernlab); library(mlbench); library(modeldata) })
rules <- data.frame(table = character(), rows = integer(), anomalies = integer(), rule = character(),
                    source = character())
task <- function(name, df, anomalous, rule, source) {
  df <- data.frame(id = paste0(name, "-", seq_len(nrow(df))),
                   label = ifelse(anomalous, "anomaly", "normal"), df, check.names = TRUE)
  before <- nrow(df)
  df <- na.omit(df)  # rows with a missing value are dropped (credit_data only)
  for (col in names(df)) if (is.factor(df[[col]])) df[[col]] <- as.character(df[[col]])
  stopifnot(!any(sapply(df, function(v) is.character(v) && any(grepl("[,\"]", v)))))
  write.csv(df, file.path(out, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  cat(sprintf("%-14s %5d rows (%d dropped for missing values), %4d anomalous: %s\n", name, nrow(df),
              before - nrow(df), sum(df$label == "anomaly"), rule))
  rules[nrow(rules) + 1, ] <<- list(name, nrow(df), sum(df$label == "anomaly"), rule, source)
}
bc <- read.csv(file.path(sklearn, "breast_cancer.csv"), skip = 1, header = FALSE)
task("breast-cancer", bc[, 1:30], bc[, 31] == 0, "malignant tumours (target 0)", "python3-sklearn breast_cancer.csv")
dg <- read.csv(gzfile(file.path(sklearn, "digits.csv.gz")), header = FALSE)
task("optdigits", dg[, 1:64], dg[, 65] == 0, "the digit 0 (8x8 handwritten digits)", "python3-sklearn digits.csv.gz")
data(spam)
task("spam", spam[, names(spam) != "type"], spam$type == "spam", "spam e-mails", "r-cran-kernlab spam")
data(musk)
task("musk", musk[, names(musk) != "Class"], musk$Class == 1, "musk molecules (Class 1)", "r-cran-kernlab musk")
data(Ionosphere)
io <- Ionosphere[, !(names(Ionosphere) %in% c("Class", "V2"))]  # V2 is constant
io$V1 <- as.numeric(as.character(io$V1))
task("ionosphere", io, Ionosphere$Class == "bad", "bad radar returns", "r-cran-mlbench Ionosphere")
data(Satellite)
task("satellite", Satellite[, names(Satellite) != "classes"], Satellite$classes == "cotton crop",
     "cotton crop pixels", "r-cran-mlbench Satellite")
data(PimaIndiansDiabetes)
task("pima", PimaIndiansDiabetes[, names(PimaIndiansDiabetes) != "diabetes"],
     PimaIndiansDiabetes$diabetes == "pos", "diabetes positive", "r-cran-mlbench PimaIndiansDiabetes")
data(credit_data)
task("credit", credit_data[, names(credit_data) != "Status"], credit_data$Status == "bad",
     "bad credit (rows with a missing value dropped)", "r-cran-modeldata credit_data")
data(attrition)
task("attrition", attrition[, names(attrition) != "Attrition"], attrition$Attrition == "Yes",
     "employees who left", "r-cran-modeldata attrition")
write.table(rules, file.path(out, "rules.tsv"), sep = "\t", row.names = FALSE, quote = FALSE)
RSCRIPT
echo "tables in $OUT"
