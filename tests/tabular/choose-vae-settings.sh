#!/usr/bin/env bash
# Chooses the VAE settings of the tabular benchmark on its validation split: every table's training
# normals split afresh, with the anomalies the test split leaves out (no test row is read; see
# `tabular-benchmark --split validation`). Each setting runs under three VAE seeds; the summary gives
# the mean AUROC of the VAE's alert score (-IWAE) per seed, their mean, and the runs that failed.
#
#   bash tests/tabular/fetch-tables.sh && bash tests/tabular/choose-vae-settings.sh   # ~10 min on 2 cores
#   bash tests/tabular/choose-vae-settings.sh "latent=4" "hidden=256,128"             # other settings
#
# Writes target/tabular-validation/*.{json,md} and tests/bench/results/tabular-validation-settings.md
# (with settings given: target/tabular-validation/settings.md).
#
# The first round (tabular-validation-settings-round1.md) varied one setting at a time around the
# train command's defaults of the day, a learning rate of 0.001 without a gradient norm limit; the
# second, below, the learning rate and the limit together, which the flow capture's held-out
# likelihood chose too (tests/telemetry/choose-settings.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=target/quarkus-app/quarkus-run.jar
OUT=target/tabular-validation
SUMMARY=tests/bench/results/tabular-validation-settings.md
[[ $# -eq 0 ]] || SUMMARY=$OUT/settings.md
[[ -f "$JAR" ]] || mvn -B -q package -DskipTests
mkdir -p "$OUT"

# The train command's defaults first; then the defaults before this round and round one's choice,
# without a gradient norm limit; then learning rates and limits around the defaults.
SETTINGS=("" "learning-rate=0.001 clip-norm=0" "learning-rate=0.002 clip-norm=0" "clip-norm=0"
          "learning-rate=0.001 clip-norm=100" "learning-rate=0.002 clip-norm=100" "learning-rate=0.005 clip-norm=30"
          "learning-rate=0.005 clip-norm=100" "clip-norm=100" "learning-rate=0.02 clip-norm=100"
          "hidden=256,128 clip-norm=100")
[[ $# -eq 0 ]] || SETTINGS=("$@")
SEEDS=(42 43 44)

name() { echo "val-${1:-defaults}-seed-$2" | tr '=,. ' '____'; }

{
  echo "# VAE settings on the tabular benchmark's validation split"
  echo
  echo "Command: \`bash tests/tabular/choose-vae-settings.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores)."
  echo "Mean AUROC of the VAE's -IWAE over the tables that have validation anomalies (optdigits has"
  echo "none: the test split keeps them all). Best other method on this split, same for every setting:"
  echo "see any report in \`$OUT\`. FAIL: training stopped (divergence or a step without gradients)."
  echo
  echo "| setting | seed 42 | seed 43 | seed 44 | mean of the runs that finished |"
  echo "|---|---:|---:|---:|---:|"
} > "$SUMMARY.tmp"

for setting in "${SETTINGS[@]}"; do
  row="| ${setting:-train command defaults} |"
  sum=0; n=0
  for seed in "${SEEDS[@]}"; do
    report=$(name "$setting" "$seed")
    epochs=60; vae="seed=$seed"
    for kv in $setting; do
      case "$kv" in
        epochs=*) epochs=${kv#epochs=} ;;
        *) vae="$vae $kv" ;;
      esac
    done
    if java -Dai.djl.offline=true -jar "$JAR" tabular-benchmark --split validation --transformer-epochs 0 \
        --epochs "$epochs" --vae "$vae" --out "$OUT" --work "$OUT/work" --report "$report" \
        > "$OUT/$report.log" 2>&1; then
      auroc=$(grep '^| vae-iwae ' "$OUT/$report.md" | awk -F'|' '{gsub(/ /, "", $3); print $3}')
      row="$row $auroc |"
      sum=$(echo "$sum + $auroc" | bc -l); n=$((n + 1))
    else
      row="$row FAIL |"
    fi
  done
  if [[ $n -gt 0 ]]; then
    row="$row $(printf '%.3f' "$(echo "$sum / $n" | bc -l)") |"
  else
    row="$row |"
  fi
  echo "$row" | tee -a "$SUMMARY.tmp"
done

best=$(grep -v '^| vae-' "$OUT/$(name "" 42).md" | awk -F'|' '/^\| [a-z-]+ \| 0\./ {gsub(/ /, "", $2); gsub(/ /, "", $3); print $2 " " $3}' \
  | sort -k2 -nr | head -1)
{
  echo
  echo "Best method other than the VAE on this split (defaults run, seed 42): ${best:-see the reports}."
} >> "$SUMMARY.tmp"
mv "$SUMMARY.tmp" "$SUMMARY"
echo "wrote $SUMMARY"
