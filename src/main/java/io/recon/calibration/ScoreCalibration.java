package io.recon.calibration;

import java.util.Arrays;

/**
 * The link between raw scores and decisions: the threshold set on held-out normal events and
 * the quantiles of their scores, which turn any score into a percentile ("this event scored
 * higher than 99.7% of normal traffic") and a severity.
 */
public final class ScoreCalibration {

    private final double threshold;
    private final double[] quantiles;

    /**
     * @param threshold alert when a score is above it
     * @param quantiles calibration score quantiles at evenly spaced probabilities 0..1, ascending
     */
    public ScoreCalibration(double threshold, double[] quantiles) {
        if (quantiles.length < 2) {
            throw new IllegalArgumentException("need at least two quantiles");
        }
        for (int i = 1; i < quantiles.length; i++) {
            if (quantiles[i] < quantiles[i - 1]) {
                throw new IllegalArgumentException("quantiles must be ascending");
            }
        }
        this.threshold = threshold;
        this.quantiles = quantiles.clone();
    }

    /** Quantiles at {@code count} evenly spaced probabilities of the given calibration scores. */
    public static double[] quantilesOf(double[] scores, int count) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double[] q = new double[count];
        for (int i = 0; i < count; i++) {
            double pos = (double) i / (count - 1) * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, sorted.length - 1);
            q[i] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
        return q;
    }

    /** The alert threshold. */
    public double threshold() {
        return threshold;
    }

    /** The calibration score quantiles at evenly spaced probabilities 0..1, ascending. */
    public double[] quantiles() {
        return quantiles.clone();
    }

    /** Whether a score raises an alert. */
    public boolean isAnomalous(double score) {
        return score > threshold;
    }

    /** Percentile (0..100) of a score among the calibration normals, interpolated. */
    public double percentile(double score) {
        if (Double.isNaN(score)) {
            return 100.0;
        }
        if (score <= quantiles[0]) {
            return 0.0;
        }
        int last = quantiles.length - 1;
        if (score >= quantiles[last]) {
            return 100.0;
        }
        int i = Arrays.binarySearch(quantiles, score);
        if (i >= 0) {
            // Equal quantiles (ties): report the highest probability that still has this score.
            while (i < last && quantiles[i + 1] == score) {
                i++;
            }
            return 100.0 * i / last;
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double frac = (score - quantiles[lo]) / (quantiles[hi] - quantiles[lo]);
        return 100.0 * (lo + frac) / last;
    }

    /** Severity of a score (NONE when it is not above the threshold). */
    public Severity severity(double score) {
        if (!isAnomalous(score)) {
            return Severity.NONE;
        }
        double median = quantiles[quantiles.length / 2];
        double spread = Math.max(threshold - median, 1e-9);
        return Severity.ofExcess((score - threshold) / spread);
    }
}
