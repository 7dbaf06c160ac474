package io.recon.evaluation.attribution;

/**
 * Each feature's surprise minus that feature's median surprise in normal rows, so that a feature
 * that is always hard to predict does not outrank one that is unusually hard to predict in this row.
 * The explainer role's first ranking; it ranks by the plain surprise since the validation split of
 * explain-benchmark ranked planted causes better that way.
 */
public final class ExcessSurprise {

    private ExcessSurprise() {
    }

    /**
     * @param surprise per row, per feature (nats)
     * @param medians  per feature, the median surprise over normal rows
     * @return per row, per feature, {@code surprise - median}
     */
    public static double[][] of(double[][] surprise, double[] medians) {
        double[][] out = new double[surprise.length][];
        for (int r = 0; r < surprise.length; r++) {
            if (surprise[r].length != medians.length) {
                throw new IllegalArgumentException("row " + r + " has " + surprise[r].length + " surprises, but there "
                        + "are " + medians.length + " medians");
            }
            out[r] = new double[medians.length];
            for (int f = 0; f < medians.length; f++) {
                out[r][f] = surprise[r][f] - medians[f];
            }
        }
        return out;
    }
}
