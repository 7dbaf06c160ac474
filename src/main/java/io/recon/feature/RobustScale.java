package io.recon.feature;

import java.util.Arrays;

/**
 * The spread that standardises a numeric feature, robust to outliers and to columns that are
 * mostly one repeated value. The interquartile range is used when it is not zero; when it is (most
 * rows share one value), wider central ranges are tried (5-95%, then 1-99%), then the standard
 * deviation, each turned into a standard-deviation equivalent. The result is floored at
 * {@link #MIN_SCALE} and at {@link #RELATIVE_FLOOR} of the column's magnitude, so a constant column
 * still gets a finite z-score and its tiny jitter is not blown up into many standard deviations.
 */
public final class RobustScale {

    /** Smallest scale any numeric feature gets (in transformed units). */
    public static final double MIN_SCALE = 0.1;
    /** Scale floor as a share of the column's typical magnitude (|1st| or |99th percentile|). */
    public static final double RELATIVE_FLOOR = 0.01;
    /** A spread below this counts as zero and the next, wider estimate is tried. */
    static final double ZERO = 1e-3;

    private RobustScale() {
    }

    /** The scale of sorted transformed training values. */
    public static double of(double[] sorted) {
        double spread = central(sorted, 0.25, 0.6745);
        if (spread < ZERO) {
            spread = central(sorted, 0.05, 1.6449);
        }
        if (spread < ZERO) {
            spread = central(sorted, 0.01, 2.3263);
        }
        if (spread < ZERO) {
            spread = standardDeviation(sorted);
        }
        double magnitude = Math.max(Math.abs(FeatureSchemaFitter.quantile(sorted, 0.01)),
                Math.abs(FeatureSchemaFitter.quantile(sorted, 0.99)));
        return Math.max(spread, Math.max(MIN_SCALE, RELATIVE_FLOOR * magnitude));
    }

    /**
     * Half the range between quantiles q and 1-q divided by the standard-normal quantile z of 1-q:
     * the standard deviation a Gaussian with that range would have.
     */
    private static double central(double[] sorted, double q, double z) {
        return (FeatureSchemaFitter.quantile(sorted, 1 - q) - FeatureSchemaFitter.quantile(sorted, q)) / (2 * z);
    }

    private static double standardDeviation(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return Math.sqrt(ss / Math.max(1, v.length - 1));
    }
}
