package io.recon.evaluation;

/** Counts in an ascending array by binary search: how many values lie below, or at most at, a value. */
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
