package io.recon.evaluation.synthetic;

import io.recon.data.FeatureRows;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How well synthetic rows reproduce each column on its own: for a numeric column the complement of
 * the two-sample Kolmogorov-Smirnov statistic (1 - the largest gap between the two empirical
 * distribution functions), for a categorical one the complement of the total-variation distance
 * between the category frequencies. Both are 1 for identical distributions and 0 for disjoint ones.
 */
public final class MarginalFidelity {

    private MarginalFidelity() {
    }

    /** Per column, in column order. */
    public static Map<String, Double> perColumn(FeatureRows real, FeatureRows synthetic) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < real.width(); c++) {
            out.put(real.names().get(c), real.numeric()[c]
                    ? ksComplement(real.numbers(c), synthetic.numbers(c))
                    : tvComplement(real.cells(c), synthetic.cells(c)));
        }
        return out;
    }

    /** 1 - sup |F_a(x) - F_b(x)| over the two samples' empirical distribution functions. */
    public static double ksComplement(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("both samples need values");
        }
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double gap = 0;
        while (i < x.length && j < y.length) {
            double next = Math.min(x[i], y[j]);
            // Step past every copy of the next value on both sides before comparing, so ties count once.
            while (i < x.length && x[i] == next) {
                i++;
            }
            while (j < y.length && y[j] == next) {
                j++;
            }
            gap = Math.max(gap, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return 1 - gap;
    }

    /** 1 - (1/2) sum over categories of |p_a - p_b|. */
    public static double tvComplement(String[] a, String[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("both samples need values");
        }
        Map<String, Integer> countA = counts(a);
        Map<String, Integer> countB = counts(b);
        Set<String> categories = new HashSet<>(countA.keySet());
        categories.addAll(countB.keySet());
        double distance = 0;
        for (String category : categories) {
            distance += Math.abs(countA.getOrDefault(category, 0) / (double) a.length
                    - countB.getOrDefault(category, 0) / (double) b.length);
        }
        return 1 - distance / 2;
    }

    private static Map<String, Integer> counts(String[] values) {
        Map<String, Integer> out = new HashMap<>();
        for (String v : values) {
            out.merge(v, 1, Integer::sum);
        }
        return out;
    }
}
