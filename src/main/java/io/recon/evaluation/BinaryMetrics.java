package io.recon.evaluation;

import java.util.Arrays;

/**
 * Threshold-free and threshold-based metrics for binary anomaly detection.
 *
 * <p>Conventions: a higher score means "more anomalous", and {@code anomalous[i] == true} marks a
 * positive (anomalous) example. Alerts fire when {@code score > threshold} (strictly greater), so a
 * threshold calibrated on normal traffic bounds the false-positive rate from above.
 */
public final class BinaryMetrics {

    /** Slack used when turning a rate into an allowed count, so 0.29 * 100 counts as 29, not 28. */
    private static final double COUNT_EPSILON = 1e-9;

    private BinaryMetrics() {
    }

    /**
     * Area under the ROC curve, computed exactly as the Mann–Whitney U statistic with average ranks
     * for tied scores (a tied positive/negative pair counts one half). O(n log n).
     *
     * @param scores    anomaly scores, higher = more anomalous; must not contain NaN
     * @param anomalous labels, {@code true} = positive
     * @return AUROC in [0, 1]
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, or either class is empty
     */
    public static double auroc(double[] scores, boolean[] anomalous) {
        validate(scores, anomalous);
        long positives = countTrue(anomalous);
        long negatives = anomalous.length - positives;
        requireBothClasses(positives, negatives);

        Integer[] order = ascendingOrder(scores);
        // Sum of (1-based, tie-averaged) ranks held by the positives.
        double positiveRankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (anomalous[order[k]]) {
                    positiveRankSum += averageRank;
                }
            }
            i = j + 1;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    /**
     * Average precision, as scikit-learn's {@code average_precision_score}: the sum over distinct
     * score thresholds (descending) of {@code (R_n - R_{n-1}) * P_n}. Equal scores form one
     * threshold, so ties are neither rewarded nor punished by their input order.
     *
     * @param scores    anomaly scores, higher = more anomalous; must not contain NaN
     * @param anomalous labels, {@code true} = positive
     * @return average precision in [0, 1]
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, or there is no positive
     */
    public static double auprc(double[] scores, boolean[] anomalous) {
        validate(scores, anomalous);
        long positives = countTrue(anomalous);
        if (positives == 0) {
            throw new IllegalArgumentException("average precision needs at least one positive example");
        }
        Integer[] order = ascendingOrder(scores);
        long truePositives = 0;
        long predicted = 0;
        double previousRecall = 0;
        double averagePrecision = 0;
        int i = order.length - 1;
        while (i >= 0) {
            // Consume one whole group of tied scores before emitting a precision/recall point.
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                predicted++;
                if (anomalous[order[k]]) {
                    truePositives++;
                }
            }
            double recall = (double) truePositives / positives;
            double precision = (double) truePositives / predicted;
            averagePrecision += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j - 1;
        }
        return averagePrecision;
    }

    /**
     * The smallest threshold {@code t} such that the fraction of normal scores strictly greater than
     * {@code t} is at most {@code fpr}. Calibrate on normal data, then alert when {@code score > t}.
     *
     * <p>When every normal may exceed the threshold ({@code fpr} = 1) the answer is
     * {@link Double#NEGATIVE_INFINITY}.
     *
     * @param normalScores scores of normal examples; non-empty, no NaN
     * @param fpr          the tolerated false-positive rate, in [0, 1]
     * @return the threshold
     * @throws IllegalArgumentException on empty input, NaN scores or an fpr outside [0, 1]
     */
    public static double thresholdAtFpr(double[] normalScores, double fpr) {
        if (normalScores == null || normalScores.length == 0) {
            throw new IllegalArgumentException("normalScores must not be empty");
        }
        if (!(fpr >= 0 && fpr <= 1)) {
            throw new IllegalArgumentException("fpr must be in [0, 1], got " + fpr);
        }
        requireNoNaN(normalScores);
        int n = normalScores.length;
        int allowed = (int) Math.floor(fpr * n + COUNT_EPSILON);
        if (allowed >= n) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] sorted = normalScores.clone();
        Arrays.sort(sorted);
        // At most `allowed` values lie strictly above sorted[n-1-allowed]; anything lower lets one more through.
        return sorted[n - 1 - allowed];
    }

    /**
     * Recall (detection rate) at a false-positive-rate budget: the threshold comes from the normal
     * examples of this same set via {@link #thresholdAtFpr}, and the result is the fraction of
     * positives scoring strictly above it.
     *
     * @param scores    anomaly scores, higher = more anomalous; must not contain NaN
     * @param anomalous labels, {@code true} = positive
     * @param fpr       the tolerated false-positive rate, in [0, 1]
     * @return recall in [0, 1]
     * @throws IllegalArgumentException if the lengths differ, a score is NaN, either class is empty
     *                                  or fpr is outside [0, 1]
     */
    public static double recallAtFpr(double[] scores, boolean[] anomalous, double fpr) {
        validate(scores, anomalous);
        long positives = countTrue(anomalous);
        requireBothClasses(positives, anomalous.length - positives);
        double[] normals = new double[(int) (anomalous.length - positives)];
        int next = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!anomalous[i]) {
                normals[next++] = scores[i];
            }
        }
        double threshold = thresholdAtFpr(normals, fpr);
        long detected = 0;
        for (int i = 0; i < scores.length; i++) {
            if (anomalous[i] && scores[i] > threshold) {
                detected++;
            }
        }
        return (double) detected / positives;
    }

    /**
     * Fraction of normal scores strictly greater than {@code threshold}.
     *
     * @param normalScores scores of normal examples; non-empty
     * @param threshold    alert threshold (alert when score &gt; threshold)
     * @return the false-positive rate in [0, 1]
     * @throws IllegalArgumentException on empty input
     */
    public static double falsePositiveRate(double[] normalScores, double threshold) {
        return fractionAbove(normalScores, threshold);
    }

    /**
     * Fraction of scores strictly greater than {@code threshold}: the false-positive rate on normal
     * examples, the recall (or alert rate) on anomalous ones.
     *
     * @throws IllegalArgumentException on empty input
     */
    public static double fractionAbove(double[] scores, double threshold) {
        if (scores == null || scores.length == 0) {
            throw new IllegalArgumentException("scores must not be empty");
        }
        long above = 0;
        for (double s : scores) {
            if (s > threshold) {
                above++;
            }
        }
        return (double) above / scores.length;
    }

    private static void validate(double[] scores, boolean[] anomalous) {
        if (scores == null || anomalous == null) {
            throw new IllegalArgumentException("scores and labels must not be null");
        }
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException(
                    "scores and labels differ in length: " + scores.length + " vs " + anomalous.length);
        }
        requireNoNaN(scores);
    }

    private static void requireNoNaN(double[] scores) {
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                // NaN has no place in a ranking; silently sorting it would corrupt every metric.
                throw new IllegalArgumentException("score at index " + i + " is NaN");
            }
        }
    }

    private static void requireBothClasses(long positives, long negatives) {
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("both classes are needed, got " + positives
                    + " positive and " + negatives + " negative examples");
        }
    }

    /** Number of true flags (positives, lesion pixels, ...). */
    public static int countTrue(boolean[] flags) {
        int count = 0;
        for (boolean f : flags) {
            if (f) {
                count++;
            }
        }
        return count;
    }

    private static Integer[] ascendingOrder(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }
}
