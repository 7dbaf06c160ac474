package io.recon.feature;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Quantile normalisation of one numeric feature for anomaly detection: inside the training range a
 * (transformed) value becomes the standard-normal quantile of its position among the training
 * values, so a mostly-zero count, a bimodal size and a heavy-tailed duration all reach the network
 * as roughly N(0, 1). Unlike a plain quantile transform (scikit-learn's, or the diffusion model's
 * {@code QuantileNormalizer}), values outside the training range are not clamped to its edge:
 * they go on linearly, one unit per robust spread beyond the outermost knot, so a value ten spreads
 * above anything seen in training still lands far out, and is scored as the anomaly it is.
 *
 * <p>Between knots the normal score is interpolated linearly from its values at the knots and at
 * the half-way points (exact there, monotone everywhere), which keeps encoding to a binary search
 * and one interpolation per value: no inverse normal CDF on the scoring path. A value equal to a
 * run of tied knots (a count that is zero in 70% of training rows) sits at the middle of the run.
 */
public final class QuantileScale {

    /** Knots kept per feature: the percentiles, enough for tables of a few hundred training rows. */
    public static final int MAX_KNOTS = 101;
    /** Positions are squeezed into [EDGE, 1 - EDGE], so the outermost knots score about ±3.1. */
    static final double EDGE = 1e-3;
    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

    private final double[] knots;
    /** Normal score at position j / (2 (n - 1)): even j at the knots, odd j half-way between. */
    private final double[] scoreAtHalfStep;
    private final double spread;

    /**
     * @param knots  ascending, finite quantiles of the transformed training values at evenly spaced
     *               probabilities 0 .. 1 (at least two)
     * @param spread the robust spread of those values: one unit of score per spread beyond the range
     */
    public QuantileScale(List<Double> knots, double spread) {
        if (knots.size() < 2) {
            throw new IllegalArgumentException("quantile normalisation needs at least two knots, got "
                    + knots.size());
        }
        if (!(spread > 0) || !Double.isFinite(spread)) {
            throw new IllegalArgumentException("the spread beyond the knots must be positive and finite, got "
                    + spread);
        }
        this.knots = new double[knots.size()];
        for (int i = 0; i < this.knots.length; i++) {
            double k = knots.get(i);
            if (!Double.isFinite(k) || (i > 0 && k < this.knots[i - 1])) {
                throw new IllegalArgumentException("quantile knots must be finite and ascending");
            }
            this.knots[i] = k;
        }
        this.spread = spread;
        int steps = 2 * (this.knots.length - 1);
        this.scoreAtHalfStep = new double[steps + 1];
        for (int j = 0; j <= steps; j++) {
            scoreAtHalfStep[j] = STANDARD.inverseCumulativeProbability(EDGE + (1 - 2 * EDGE) * j / steps);
        }
    }

    /** The knots of sorted transformed training values (at most {@link #MAX_KNOTS}). */
    public static List<Double> knotsOf(double[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no training values to take quantiles of");
        }
        int n = Math.max(2, Math.min(MAX_KNOTS, sorted.length));
        Double[] knots = new Double[n];
        for (int k = 0; k < n; k++) {
            knots[k] = FeatureSchemaFitter.quantile(sorted, k / (n - 1.0));
        }
        return Arrays.asList(knots);
    }

    /** The normal score of a transformed value. */
    public double standardise(double t) {
        int last = knots.length - 1;
        if (t < knots[0]) {
            return scoreAtHalfStep[0] - (knots[0] - t) / spread;
        }
        if (t > knots[last]) {
            return scoreAtHalfStep[2 * last] + (t - knots[last]) / spread;
        }
        int first = SortedCounts.below(knots, t);
        int end = SortedCounts.atMost(knots, t);
        if (first < end) { // equal to knots first .. end-1: the middle of that run
            return scoreAtHalfStep[first + end - 1];
        }
        int low = first - 1; // knots[low] < t < knots[first]
        double fraction = (t - knots[low]) / (knots[first] - knots[low]);
        double half = 2 * fraction;
        int j = 2 * low + (half >= 1 ? 1 : 0);
        double within = half >= 1 ? half - 1 : half;
        return scoreAtHalfStep[j] + within * (scoreAtHalfStep[j + 1] - scoreAtHalfStep[j]);
    }

    /** The transformed value whose normal score is {@code z}: the inverse of {@link #standardise}. */
    public double invert(double z) {
        int last = knots.length - 1;
        if (z <= scoreAtHalfStep[0]) {
            return knots[0] - (scoreAtHalfStep[0] - z) * spread;
        }
        if (z >= scoreAtHalfStep[2 * last]) {
            return knots[last] + (z - scoreAtHalfStep[2 * last]) * spread;
        }
        int j = 0;
        while (scoreAtHalfStep[j + 1] < z) {
            j++;
        }
        double within = (z - scoreAtHalfStep[j]) / (scoreAtHalfStep[j + 1] - scoreAtHalfStep[j]);
        double fraction = (j % 2 + within) / 2;
        int low = j / 2;
        return knots[low] + fraction * (knots[low + 1] - knots[low]);
    }
}
