package io.recon.cli;

import java.util.Arrays;

import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The VAE's -IWAE and the masked-feature transformer's summed surprise as one score: each put on a
 * common scale by the median and the median absolute deviation of its scores on held-out normal
 * rows (the bundle's calibration split, never trained on), then added. Both are in nats, but of
 * different things (a joint density against conditionals of one feature given the others), so
 * their raw sum would weigh whichever spreads more.
 */
final class SecondDetector {

    /** A spread below this counts as none: the scores are then only centred. */
    private static final double MIN_SPREAD = 1e-9;

    private SecondDetector() {
    }

    /** The standardised sum of two scores of the same rows, each with its held-out normal reference. */
    static double[] sum(double[] first, double[] firstHeldOut, double[] second, double[] secondHeldOut) {
        if (first.length != second.length) {
            throw new IllegalArgumentException("the two scores are of " + first.length + " and " + second.length
                    + " rows");
        }
        double[] a = standardised(first, firstHeldOut);
        double[] b = standardised(second, secondHeldOut);
        double[] out = new double[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** {@code (x - median) / (1.4826 MAD)} of the reference scores. */
    static double[] standardised(double[] scores, double[] reference) {
        if (reference.length == 0) {
            throw new IllegalArgumentException("no held-out normal rows to standardise the scores on");
        }
        double median = new Median().evaluate(reference);
        double[] deviations = Arrays.stream(reference).map(r -> Math.abs(r - median)).toArray();
        double spread = Math.max(MIN_SPREAD, 1.4826 * new Median().evaluate(deviations));
        return Arrays.stream(scores).map(x -> (x - median) / spread).toArray();
    }
}
