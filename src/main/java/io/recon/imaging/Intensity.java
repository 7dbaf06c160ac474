package io.recon.imaging;

import java.util.Arrays;

/** Intensity statistics and normalisations shared by the decoders. */
public final class Intensity {

    private Intensity() {
    }

    /** {min, max} over the finite values, or {0, 0} when there are none. */
    public static double[] finiteRange(float[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
            }
        }
        return min > max ? new double[] {0, 0} : new double[] {min, max};
    }

    /**
     * Maps {@code [low, high]} linearly onto [0,1], clamping outside and sending NaN to 0. A flat
     * range (low == high) gives an all-zero image rather than a division by zero: a constant image
     * carries no contrast to show.
     */
    public static float[] scale(float[] values, double low, double high) {
        float[] out = new float[values.length];
        double span = high - low;
        if (!(span > 0)) {
            return out;
        }
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                continue;
            }
            double s = (v - low) / span;
            out[i] = (float) (s <= 0 ? 0 : s >= 1 ? 1 : s);
        }
        return out;
    }

    /**
     * Percentiles (0–100) of the finite values with numpy's default "linear" interpolation, so that
     * reference statistics computed with {@code numpy.percentile} match exactly.
     */
    public static double[] percentiles(float[] values, double... percents) {
        float[] sorted = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                sorted[n++] = v;
            }
        }
        double[] out = new double[percents.length];
        if (n == 0) {
            return out;
        }
        Arrays.sort(sorted, 0, n);
        for (int i = 0; i < percents.length; i++) {
            double p = percents[i];
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("percentile must be within [0, 100], got " + p);
            }
            double rank = p / 100.0 * (n - 1);
            int lo = (int) Math.floor(rank);
            int hi = Math.min(lo + 1, n - 1);
            double frac = rank - lo;
            out[i] = sorted[lo] + (sorted[hi] - (double) sorted[lo]) * frac;
        }
        return out;
    }
}
