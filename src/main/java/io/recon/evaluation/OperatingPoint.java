package io.recon.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the deployed threshold (set on calibration normals, not on the test set) does on the
 * test set: the false-positive rate actually seen, recall overall and per group, and the alert
 * rate of each normal group (which normal traffic gets flagged).
 *
 * @param score          the alert score
 * @param threshold      the bundle's threshold
 * @param falsePositiveRate fraction of test normals above it
 * @param recall         fraction of test anomalies above it
 * @param alertRateByGroup per group (normal and anomalous): fraction of its rows above it
 */
public record OperatingPoint(String score, double threshold, double falsePositiveRate, double recall,
        Map<String, Double> alertRateByGroup) {

    /** The operating point of {@code threshold} on scored, labelled rows. */
    public static OperatingPoint of(String score, double threshold, double[] scores, boolean[] anomalous,
            String[] groups) {
        int normals = 0;
        int falseAlarms = 0;
        int anomalies = 0;
        int caught = 0;
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            boolean above = scores[i] > threshold;
            int[] c = counts.computeIfAbsent(groups[i], g -> new int[2]);
            c[0]++;
            if (above) {
                c[1]++;
            }
            if (anomalous[i]) {
                anomalies++;
                caught += above ? 1 : 0;
            } else {
                normals++;
                falseAlarms += above ? 1 : 0;
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        counts.forEach((g, c) -> rates.put(g, (double) c[1] / c[0]));
        return new OperatingPoint(score, threshold, normals == 0 ? Double.NaN : (double) falseAlarms / normals,
                anomalies == 0 ? Double.NaN : (double) caught / anomalies, rates);
    }
}
