package io.recon.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluate command's report: every scorer on the same test rows, the deployed operating
 * point, and where the numbers came from. Serialised to JSON as is; {@link #toMarkdown()}
 * renders the tables for people.
 *
 * @param model            bundle name and version
 * @param dataFile         the evaluated table
 * @param dataSha256       its checksum
 * @param testSet          which rows were evaluated, in words
 * @param normalRows       normal rows evaluated
 * @param anomalousRows    anomalous rows evaluated
 * @param targetFpr        false-positive rate of the recall figures
 * @param scorers          one entry per scorer (VAE scores first, then baselines)
 * @param operatingPoint   the bundle's own threshold on this test set
 * @param command          the command that produced this report
 * @param seconds          wall time of the evaluation
 */
public record EvaluationReport(String model, String dataFile, String dataSha256, String testSet, int normalRows,
        int anomalousRows, double targetFpr, List<ScoreEvaluation> scorers, OperatingPoint operatingPoint,
        String command, double seconds) {

    /** Markdown tables: overall, per anomaly group, operating point. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        String pct = fmtPct(targetFpr);
        md.append("# Evaluation of ").append(model).append("\n\n");
        md.append("- data: `").append(dataFile).append("` (sha256 `").append(dataSha256, 0, 12).append("…`)\n");
        md.append("- test set: ").append(testSet).append(String.format(Locale.ROOT,
                " — %,d normal rows, %,d anomalous rows%n", normalRows, anomalousRows));
        md.append("- command: `").append(command).append("`\n\n");
        md.append("## All anomalies\n\n| scorer | AUROC | AUPRC | recall @ ").append(pct)
                .append(" FPR | seconds (fit + score) |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (ScoreEvaluation s : scorers) {
            md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.2f |%n", s.scorer(), s.auroc(),
                    s.auprc(), s.recallAtFpr(), s.seconds()));
        }
        md.append("\n## Per anomaly type: AUROC / recall @ ").append(pct).append(" FPR\n\n| type | rows |");
        for (ScoreEvaluation s : scorers) {
            md.append(' ').append(s.scorer()).append(" |");
        }
        md.append("\n|---|---:|");
        md.append("---:|".repeat(scorers.size()));
        md.append('\n');
        if (!scorers.isEmpty()) {
            for (Map.Entry<String, ScoreEvaluation.GroupMetrics> g : scorers.get(0).byGroup().entrySet()) {
                md.append("| ").append(g.getKey()).append(" | ").append(g.getValue().rows()).append(" |");
                for (ScoreEvaluation s : scorers) {
                    ScoreEvaluation.GroupMetrics m = s.byGroup().get(g.getKey());
                    md.append(String.format(Locale.ROOT, " %.3f / %.3f |", m.auroc(), m.recallAtFpr()));
                }
                md.append('\n');
            }
        }
        if (operatingPoint != null) {
            md.append(String.format(Locale.ROOT, "%n## Deployed threshold (%s > %.4f, set on calibration normals)%n%n",
                    operatingPoint.score(), operatingPoint.threshold()));
            md.append(String.format(Locale.ROOT, "False-positive rate on test normals: **%s**; recall on anomalies: "
                    + "**%s**.%n%n| group | alert rate |%n|---|---:|%n", fmtPct(operatingPoint.falsePositiveRate()),
                    fmtPct(operatingPoint.recall())));
            operatingPoint.alertRateByGroup().forEach((g, r) -> md.append("| ").append(g).append(" | ")
                    .append(fmtPct(r)).append(" |\n"));
        }
        return md.toString();
    }

    private static String fmtPct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
