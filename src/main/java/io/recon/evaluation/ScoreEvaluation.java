package io.recon.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics of one scorer (a VAE score or a baseline) on a labelled test set: overall, and per
 * anomaly group (attack type) against all test normals.
 *
 * @param scorer       scorer name
 * @param auroc        area under the ROC curve
 * @param auprc        average precision
 * @param recallAtFpr  recall at the threshold where the test normals' false-positive rate is
 *                     the target (1% by default)
 * @param byGroup      per anomaly group: rows, AUROC and recall at the same threshold
 * @param seconds      wall time the scorer took: fitting on the training rows (where the
 *                     evaluation fitted it) plus scoring the test rows
 */
public record ScoreEvaluation(String scorer, double auroc, double auprc, double recallAtFpr,
        Map<String, GroupMetrics> byGroup, double seconds) {

    /**
     * @param rows        anomalous rows of this group in the test set
     * @param auroc       AUROC of this group against the test normals
     * @param recallAtFpr recall of this group at the overall threshold
     */
    public record GroupMetrics(int rows, double auroc, double recallAtFpr) {
    }

    /**
     * Evaluates scores against labels.
     *
     * @param scorer    name
     * @param scores    one per test row, higher = more anomalous
     * @param anomalous label per row
     * @param groups    group per row (only anomalous rows' groups are reported)
     * @param fpr       target false-positive rate for the recall figures
     * @param seconds   the time fitting and scoring took
     */
    public static ScoreEvaluation of(String scorer, double[] scores, boolean[] anomalous, String[] groups,
            double fpr, double seconds) {
        List<Double> normals = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (!anomalous[i]) {
                normals.add(scores[i]);
            }
        }
        double[] normalScores = normals.stream().mapToDouble(Double::doubleValue).toArray();
        double threshold = BinaryMetrics.thresholdAtFpr(normalScores, fpr);
        Map<String, GroupMetrics> byGroup = new LinkedHashMap<>();
        for (String group : anomalousGroups(anomalous, groups)) {
            List<Double> groupScores = new ArrayList<>();
            for (int i = 0; i < scores.length; i++) {
                if (anomalous[i] && groups[i].equals(group)) {
                    groupScores.add(scores[i]);
                }
            }
            double[] s = new double[normalScores.length + groupScores.size()];
            boolean[] y = new boolean[s.length];
            System.arraycopy(normalScores, 0, s, 0, normalScores.length);
            int caught = 0;
            for (int j = 0; j < groupScores.size(); j++) {
                s[normalScores.length + j] = groupScores.get(j);
                y[normalScores.length + j] = true;
                if (groupScores.get(j) > threshold) {
                    caught++;
                }
            }
            byGroup.put(group, new GroupMetrics(groupScores.size(), BinaryMetrics.auroc(s, y),
                    (double) caught / groupScores.size()));
        }
        return new ScoreEvaluation(scorer, BinaryMetrics.auroc(scores, anomalous),
                BinaryMetrics.auprc(scores, anomalous), BinaryMetrics.recallAtFpr(scores, anomalous, fpr), byGroup,
                Math.round(seconds * 100) / 100.0);
    }

    /** Distinct groups of anomalous rows, in first-seen order. */
    public static List<String> anomalousGroups(boolean[] anomalous, String[] groups) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < groups.length; i++) {
            if (anomalous[i] && !out.contains(groups[i])) {
                out.add(groups[i]);
            }
        }
        return out;
    }
}
