package io.recon.evaluation.attribution;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Two rankings of the same features combined by their ranks: a feature's score is minus the sum of
 * its places in both (0 = first), the first ranking breaking ties. The scales of the two need not
 * agree (nats of surprise beside shares of a reconstruction term); what counts is that both put a
 * feature near the top.
 */
public final class RankAgreement {

    private RankAgreement() {
    }

    /**
     * @param first  per row, per feature, larger = more likely the cause (ties broken by it)
     * @param second per row, per feature, the same orientation
     * @return per row, per feature, larger = nearer the top of both
     */
    public static double[][] of(double[][] first, double[][] second) {
        if (first.length != second.length) {
            throw new IllegalArgumentException(first.length + " rows against " + second.length);
        }
        double[][] out = new double[first.length][];
        for (int r = 0; r < first.length; r++) {
            if (first[r].length != second[r].length) {
                throw new IllegalArgumentException("row " + r + ": " + first[r].length + " features against "
                        + second[r].length);
            }
            double[] a = places(first[r]);
            double[] b = places(second[r]);
            out[r] = new double[a.length];
            for (int f = 0; f < a.length; f++) {
                out[r][f] = -(a[f] + b[f]) - 1e-3 * a[f];
            }
        }
        return out;
    }

    /** Each value's place in descending order, tied values sharing the mean of their places. */
    static double[] places(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
        double[] place = new double[values.length];
        for (int start = 0; start < order.length;) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double mean = (start + end) / 2.0;
            for (int k = start; k <= end; k++) {
                place[order[k]] = mean;
            }
            start = end + 1;
        }
        return place;
    }
}
