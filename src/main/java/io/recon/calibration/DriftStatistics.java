package io.recon.calibration;

import java.util.Arrays;

import io.recon.feature.SortedCounts;

/**
 * How far a window of recent scores of non-alerting events has moved from the scores a model was
 * calibrated on. The reference is the calibration distribution below the threshold (the window holds
 * only events that did not alert, so it is compared with the calibration scores that would not have
 * alerted either): its cumulative distribution {@code G(x) = F(min(x, t)) / F(t)}, with {@code F} read
 * from the calibration quantiles and {@code t} the threshold.
 *
 * <ul>
 * <li>PSI, the population stability index, over {@code bins} bins of equal reference probability:
 * {@code sum (o - e) ln(o / e)}; empty bins count as half an event, so one empty bin cannot make it
 * infinite.</li>
 * <li>KS, the largest gap between the window's empirical distribution and {@code G}.</li>
 * </ul>
 * Both read scores at the model's numeric resolution ({@link #SCORE_TOLERANCE}): a window score a
 * rounding error away from a calibration quantile counts as that quantile.
 */
public final class DriftStatistics {

    /**
     * Scores closer than this share of (|score| + the calibration scores' typical size) are one score
     * here. libtorch's kernels round differently on different CPUs: the telemetry model's calibration
     * rows, scored on two AMD EPYC machines, differed by up to 6.4e-6 of their size. Near-identical
     * flows put clusters of scores exactly on tied calibration quantiles, and without this tolerance
     * a shift of a few ulps moved a whole cluster across its quantile: the calibration rows' own KS
     * read 0.027 on one machine and under 0.02 on the other. A drift worth an alert moves scores by
     * far more than 2e-5 of their size.
     */
    static final double SCORE_TOLERANCE = 2e-5;

    private DriftStatistics() {
    }

    /**
     * The two statistics of a window.
     *
     * @param psi population stability index, NaN for an empty window
     * @param ks  Kolmogorov-Smirnov distance in [0, 1], NaN for an empty window
     */
    public record Figures(double psi, double ks) {
    }

    /**
     * @param calibration the model's threshold and calibration quantiles
     * @param window      recent scores of events that did not alert (any order; not changed)
     * @param bins        PSI bins, at least 2
     */
    public static Figures of(ScoreCalibration calibration, double[] window, int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("PSI needs at least two bins, got " + bins);
        }
        double[] sorted = Arrays.stream(window).filter(Double::isFinite).sorted().toArray();
        if (sorted.length == 0) {
            return new Figures(Double.NaN, Double.NaN);
        }
        Reference reference = new Reference(calibration);
        return new Figures(psi(reference, sorted, bins), ks(reference, calibration.quantiles(), sorted));
    }

    /**
     * The KS level a window of {@code windowEvents} exceeds by chance with probability about {@code alpha}
     * when it comes from the same distribution as {@code calibrationRows} calibration scores: the
     * asymptotic two-sample critical value {@code sqrt(-ln(alpha / 2) / 2) * sqrt((n + m) / (n m))}.
     */
    public static double ksCriticalValue(int windowEvents, int calibrationRows, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("the significance level must be in (0, 1), got " + alpha);
        }
        if (windowEvents <= 0 || calibrationRows <= 0) {
            return Double.NaN;
        }
        double n = windowEvents;
        double m = calibrationRows;
        return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
    }

    private static double psi(Reference reference, double[] sorted, int bins) {
        double n = sorted.length;
        double psi = 0;
        double lowerG = 0;
        int below = 0;
        for (int b = 1; b <= bins; b++) {
            // The last bin takes everything above its lower edge (scores over a since-lowered threshold too).
            // An edge sits just above its quantile, so a cluster of scores on that quantile stays in its
            // bin however its scores were rounded; never past the threshold, so the last bin keeps its share.
            double quantile = reference.inverse((double) b / bins);
            double edge = b == bins ? Double.POSITIVE_INFINITY
                    : Math.max(quantile, Math.min(quantile + reference.tolerance(quantile), reference.below()));
            double upperG = b == bins ? 1.0 : reference.cdf(edge);
            double expected = upperG - lowerG;
            if (expected <= 0) {
                continue; // tied calibration quantiles: this bin is empty in the reference, merge it upwards
            }
            int upTo = b == bins ? sorted.length : SortedCounts.atMost(sorted, edge);
            double observed = Math.max(upTo - below, 0.5) / n;
            psi += (observed - expected) * Math.log(observed / expected);
            below = upTo;
            lowerG = upperG;
        }
        return psi;
    }

    /**
     * The largest gap between the window's distribution F and G, each allowed to lag the other by
     * the tolerance t(x) along the score axis: sup over x of F(x) - G(x + t) and G(x) - F(x + t)
     * (Lévy's distance, rather than Kolmogorov's, at that one resolution). The suprema lie at the
     * window's scores and the calibration quantiles, on either side of their steps.
     */
    private static double ks(Reference reference, double[] quantiles, double[] sorted) {
        double n = sorted.length;
        double d = 0;
        for (double w : sorted) {
            double t = reference.tolerance(w);
            // The window's step at w against G a little above it, and G a little below against the step's foot.
            d = Math.max(d, SortedCounts.atMost(sorted, w) / n - reference.cdf(w + t));
            d = Math.max(d, reference.cdf(Math.nextDown(w - t)) - SortedCounts.below(sorted, w) / n);
        }
        for (double q : quantiles) {
            double t = reference.tolerance(q);
            // G's step at tied quantiles q against the window a little above, and its foot against the window below.
            d = Math.max(d, reference.cdf(q) - SortedCounts.atMost(sorted, q + t) / n);
            d = Math.max(d, SortedCounts.below(sorted, q - t) / n - reference.cdf(Math.nextDown(q)));
        }
        return d;
    }

    /**
     * The calibration distribution below the threshold: the quantiles' piecewise-linear distribution
     * function, right-continuous where quantiles tie (a score equal to tied quantiles has the highest of
     * their probabilities), cut at the threshold and scaled to reach 1 there.
     */
    private static final class Reference {

        private final double threshold;
        private final double[] quantiles;
        private final double atThreshold;
        /** The calibration scores' typical size: their median magnitude. */
        private final double typical;

        Reference(ScoreCalibration calibration) {
            this.threshold = calibration.threshold();
            this.quantiles = calibration.quantiles();
            double f = full(threshold);
            this.atThreshold = f > 0 ? f : 1.0;
            double[] magnitudes = Arrays.stream(quantiles).map(Math::abs).sorted().toArray();
            this.typical = magnitudes[magnitudes.length / 2];
        }

        /** The highest score below the threshold. */
        double below() {
            return Math.nextDown(threshold);
        }

        /** How far apart two scores near {@code x} may be and still be one score ({@link #SCORE_TOLERANCE}). */
        double tolerance(double x) {
            return SCORE_TOLERANCE * (Math.abs(x) + typical);
        }

        /** G(x). */
        double cdf(double x) {
            return Math.min(1.0, full(Math.min(x, threshold)) / atThreshold);
        }

        /** F(x) of the whole calibration distribution. */
        private double full(double x) {
            int last = quantiles.length - 1;
            int i = SortedCounts.atMost(quantiles, x) - 1; // the highest quantile at most x
            if (i < 0) {
                return 0.0;
            }
            if (i == last || quantiles[i] == x) {
                return (double) i / last;
            }
            return (i + (x - quantiles[i]) / (quantiles[i + 1] - quantiles[i])) / last;
        }

        /** The score where G reaches {@code p}, interpolated between the calibration quantiles. */
        double inverse(double p) {
            double pos = p * atThreshold * (quantiles.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, quantiles.length - 1);
            return Math.min(quantiles[lo] + (pos - lo) * (quantiles[hi] - quantiles[lo]), threshold);
        }
    }
}
