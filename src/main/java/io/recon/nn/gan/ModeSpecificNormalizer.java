package io.recon.nn.gan;

import java.util.Arrays;
import java.util.Random;

/**
 * CTGAN's mode-specific normalisation of one numeric column: a Gaussian mixture finds the column's
 * modes, and a value becomes [alpha, one-hot mode] with alpha = (x - mu_k) / (4 sigma_k) in
 * [-0.99, 0.99]. A min-max or z-score scaling would squash a multimodal or long-tailed column
 * (bytes: most flows small, a few huge) into one region the generator cannot resolve; per mode,
 * every region keeps its resolution.
 *
 * <p>A column of one distinct value is constant: no modes, no encoded width, decoded as that value.
 *
 * @param means   component means, ascending (empty for a constant column)
 * @param sds     component standard deviations
 * @param weights mixing weights
 * @param min     smallest value seen in training: decoded values are clipped to [min, max]
 * @param max     largest value seen in training
 * @param whole   every training value was a whole number: decoded values are rounded (counts stay counts)
 */
public record ModeSpecificNormalizer(double[] means, double[] sds, double[] weights, double min, double max,
        boolean whole) {

    /** CTGAN's cap on the modes per column. */
    public static final int MAX_MODES = 10;
    /** alpha is clipped to this magnitude, as in CTGAN. */
    static final double ALPHA_LIMIT = 0.99;
    /** CTGAN adds this to each mode's posterior before sampling one (so no mode is ever impossible). */
    private static final double POSTERIOR_SMOOTHING = 1e-6;

    /** Fits the modes of {@code values} (all finite). */
    public static ModeSpecificNormalizer fit(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to fit");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean whole = true;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a numeric column holds " + v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            whole &= v == Math.rint(v);
        }
        if (min == max) {
            return new ModeSpecificNormalizer(new double[0], new double[0], new double[0], min, max, whole);
        }
        GaussianMixtureEm.Mixture mixture = GaussianMixtureEm.fit(values, MAX_MODES, sdFloor(values, min, max));
        return new ModeSpecificNormalizer(mixture.means(), mixture.sds(), mixture.weights(), min, max, whole);
    }

    /**
     * The smallest standard deviation a mode may have: a thousandth of the smallest gap between
     * distinct values (a mode on a count's many zeros then decodes to exactly zero), and never
     * below what double precision can tell apart at the column's magnitude.
     */
    private static double sdFloor(double[] values, double min, double max) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double gap = Double.POSITIVE_INFINITY;
        for (int i = 1; i < sorted.length; i++) {
            double d = sorted[i] - sorted[i - 1];
            if (d > 0) {
                gap = Math.min(gap, d);
            }
        }
        return Math.max(1e-3 * gap, 1e-9 * Math.max(Math.abs(min), Math.abs(max)));
    }

    /** Modes (0 for a constant column). */
    public int modes() {
        return means.length;
    }

    /** Encoded width: alpha plus one slot per mode; 0 for a constant column. */
    public int width() {
        return means.length == 0 ? 0 : 1 + means.length;
    }

    /**
     * Writes [alpha, one-hot mode] of {@code x} at {@code out[offset]}, the mode drawn from its
     * posterior with {@code random} (CTGAN samples it rather than taking the likeliest, so values
     * between two modes are encoded under both).
     */
    public void encode(double x, Random random, float[] out, int offset) {
        if (means.length == 0) {
            return;
        }
        double[] p = new double[means.length];
        GaussianMixtureEm.logDensities(x, means, sds, weights, p);
        double top = Arrays.stream(p).max().orElseThrow();
        double total = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(p[k] - top);
            total += p[k];
        }
        double smoothedTotal = 1 + POSTERIOR_SMOOTHING * p.length;
        double u = random.nextDouble() * smoothedTotal;
        int mode = p.length - 1;
        for (int k = 0; k < p.length; k++) {
            u -= p[k] / total + POSTERIOR_SMOOTHING;
            if (u < 0) {
                mode = k;
                break;
            }
        }
        double alpha = (x - means[mode]) / (4 * sds[mode]);
        out[offset] = (float) Math.max(-ALPHA_LIMIT, Math.min(ALPHA_LIMIT, alpha));
        out[offset + 1 + mode] = 1f;
    }

    /**
     * The value of the encoding at {@code in[offset]}: the likeliest mode's mean plus alpha of its
     * four standard deviations, clipped to the training range, rounded for a column of whole numbers.
     */
    public double decode(float[] in, int offset) {
        if (means.length == 0) {
            return min;
        }
        int mode = 0;
        for (int k = 1; k < means.length; k++) {
            if (in[offset + 1 + k] > in[offset + 1 + mode]) {
                mode = k;
            }
        }
        double alpha = Math.max(-1, Math.min(1, in[offset]));
        double x = Math.max(min, Math.min(max, alpha * 4 * sds[mode] + means[mode]));
        return whole ? Math.rint(x) : x;
    }

    /** A decoded value as a cell: whole numbers without a decimal point. */
    public String format(double x) {
        return whole && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModeSpecificNormalizer n && Arrays.equals(means, n.means) && Arrays.equals(sds, n.sds)
                && Arrays.equals(weights, n.weights) && Double.compare(min, n.min) == 0
                && Double.compare(max, n.max) == 0 && whole == n.whole;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(means) * 31 + Arrays.hashCode(sds) + Double.hashCode(min) + Boolean.hashCode(whole);
    }

    @Override
    public String toString() {
        return "ModeSpecificNormalizer" + Arrays.toString(means) + " sd " + Arrays.toString(sds) + " weights "
                + Arrays.toString(weights) + " range [" + min + ", " + max + "]" + (whole ? " whole" : "");
    }
}
