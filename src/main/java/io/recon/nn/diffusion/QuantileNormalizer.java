package io.recon.nn.diffusion;

import java.util.Arrays;

import org.apache.commons.math3.distribution.NormalDistribution;

import io.recon.feature.SortedCounts;

/**
 * One numeric column mapped to a standard normal through its empirical distribution, as TabDDPM
 * prepares numbers for Gaussian diffusion: a value becomes its position among the training values
 * (a piecewise-linear CDF through up to {@link #MAX_KNOTS} quantiles), then the normal quantile of
 * that position. Heavy-tailed byte counters and mostly-zero flag counts all come out near N(0, 1),
 * which Gaussian noise needs. Decoding runs it backwards and so can only give values inside the
 * training range; a column of whole numbers gives whole numbers.
 *
 * @param knots   the column's quantiles at evenly spaced probabilities 0 .. 1 (ascending)
 * @param integer whether every training value was a whole number
 */
public record QuantileNormalizer(double[] knots, boolean integer) {

    /** Quantiles kept per column, as scikit-learn's QuantileTransformer keeps by default. */
    public static final int MAX_KNOTS = 1000;
    /** Positions are squeezed into [EDGE, 1 - EDGE], so that the normal quantile stays finite (±3.1). */
    static final double EDGE = 1e-3;
    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

    /** Checks the knots. */
    public QuantileNormalizer {
        knots = knots.clone();
        if (knots.length < 1) {
            throw new IllegalArgumentException("no knots");
        }
        for (int i = 0; i < knots.length; i++) {
            if (!Double.isFinite(knots[i]) || (i > 0 && knots[i] < knots[i - 1])) {
                throw new IllegalArgumentException("knots must be finite and ascending");
            }
        }
    }

    /** Fitted on a column's training values. */
    public static QuantileNormalizer fit(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to fit on");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = Math.min(MAX_KNOTS, sorted.length);
        double[] knots = new double[n];
        for (int k = 0; k < n; k++) {
            double at = n == 1 ? 0 : k * (sorted.length - 1.0) / (n - 1);
            int low = (int) Math.floor(at);
            int high = Math.min(low + 1, sorted.length - 1);
            knots[k] = sorted[low] + (at - low) * (sorted[high] - sorted[low]);
        }
        boolean integer = Arrays.stream(values).allMatch(v -> v == Math.rint(v));
        return new QuantileNormalizer(knots, integer);
    }

    /** The value's standard-normal score. Ties sit at the middle of their run of knots. */
    public double encode(double value) {
        return STANDARD.inverseCumulativeProbability(EDGE + (1 - 2 * EDGE) * position(value));
    }

    /** The value whose score is {@code z}: inside the training range, whole for a whole-number column. */
    public double decode(double z) {
        double p = Double.isNaN(z) ? 0.5
                : Math.min(1, Math.max(0, (STANDARD.cumulativeProbability(z) - EDGE) / (1 - 2 * EDGE)));
        if (knots.length == 1) {
            return knots[0];
        }
        double at = p * (knots.length - 1);
        int low = Math.min((int) Math.floor(at), knots.length - 2);
        double value = knots[low] + (at - low) * (knots[low + 1] - knots[low]);
        return integer ? Math.rint(value) : value;
    }

    private double position(double value) {
        if (knots.length == 1) {
            return 0.5;
        }
        int first = SortedCounts.below(knots, value);
        int last = SortedCounts.atMost(knots, value);
        if (first < last) { // equal to one or more knots: the middle of that run
            return (first + last - 1) / 2.0 / (knots.length - 1);
        }
        if (first == 0) {
            return 0;
        }
        if (first == knots.length) {
            return 1;
        }
        double low = knots[first - 1];
        double high = knots[first];
        return (first - 1 + (value - low) / (high - low)) / (knots.length - 1);
    }
}
