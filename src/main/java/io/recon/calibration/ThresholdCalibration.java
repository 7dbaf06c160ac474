package io.recon.calibration;

import java.util.Locale;

import io.recon.evaluation.BinaryMetrics;

/**
 * The one place a deployed alert threshold is set: on the alert scores of held-out normal data
 * (never trained on, never the test set), at a target false-positive rate. It also keeps those
 * scores' quantiles, which turn any later score into a percentile and a severity
 * ({@link ScoreCalibration}), and says in words how the threshold was set, for the manifest.
 */
public final class ThresholdCalibration {

    /** Quantiles kept of the calibration scores (every 0.1%). */
    public static final int QUANTILES = 1001;

    private final double threshold;
    private final double targetFpr;
    private final int rows;
    private final double achievedFpr;
    private final double[] quantiles;

    private ThresholdCalibration(double threshold, double targetFpr, int rows, double achievedFpr,
            double[] quantiles) {
        this.threshold = threshold;
        this.targetFpr = targetFpr;
        this.rows = rows;
        this.achievedFpr = achievedFpr;
        this.quantiles = quantiles;
    }

    /**
     * The threshold that at most {@code targetFpr} of {@code normalScores} exceed.
     *
     * @param normalScores alert scores of held-out normal rows or images
     * @param targetFpr    false-positive rate aimed at, in (0, 1)
     */
    public static ThresholdCalibration fromNormals(double[] normalScores, double targetFpr) {
        if (!(targetFpr > 0 && targetFpr < 1)) {
            throw new IllegalArgumentException("the target false-positive rate must be in (0, 1), got " + targetFpr);
        }
        double threshold = BinaryMetrics.thresholdAtFpr(normalScores, targetFpr);
        return new ThresholdCalibration(threshold, targetFpr, normalScores.length,
                BinaryMetrics.falsePositiveRate(normalScores, threshold),
                ScoreCalibration.quantilesOf(normalScores, QUANTILES));
    }

    /** Alert when a score is above this. */
    public double threshold() {
        return threshold;
    }

    /** The false-positive rate aimed at. */
    public double targetFpr() {
        return targetFpr;
    }

    /** How many held-out normal scores it was set on. */
    public int rows() {
        return rows;
    }

    /** The share of the calibration scores above the threshold (at most the target). */
    public double achievedFpr() {
        return achievedFpr;
    }

    /** The calibration scores' quantiles at {@link #QUANTILES} evenly spaced probabilities. */
    public double[] quantiles() {
        return quantiles.clone();
    }

    /** The runtime view: threshold, percentiles and severity of new scores. */
    public ScoreCalibration toScoreCalibration() {
        return new ScoreCalibration(threshold, quantiles);
    }

    /**
     * How it was set, in words: "{@code score} above the 99.0th percentile of 1,301 {@code heldOut}
     * (target false-positive rate 1.0%)".
     *
     * @param score   the alert score, in words
     * @param heldOut what the held-out normal data were, e.g. "held-out normal rows"
     */
    public String method(String score, String heldOut) {
        return String.format(Locale.ROOT, "%s above the %.1fth percentile of %,d %s (target false-positive rate %.1f%%)",
                score, 100 * (1 - targetFpr), rows, heldOut, 100 * targetFpr);
    }
}
