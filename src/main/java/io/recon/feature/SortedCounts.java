package io.recon.feature;

/**
 * Counts in an ascending array by binary search: how many values lie below, or at most at, a value
 * (a C++ lower and upper bound). Here, beside the quantile normalisation that needs it, so the
 * calibration, evaluation and generative packages above it share one copy.
 */
public final class SortedCounts {

    private SortedCounts() {
    }

    /** How many of {@code sorted} (ascending) are below {@code x}. */
    public static int below(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** How many of {@code sorted} (ascending) are at most {@code x}. */
    public static int atMost(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
