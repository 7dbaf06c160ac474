package io.recon.feature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a feature schema (transforms, centres, scales, category vocabularies) from the
 * training rows only, so nothing about the calibration or test rows leaks into the model.
 */
public final class FeatureSchemaFitter {

    /** Smallest scale a numeric feature gets: a constant in training still has a finite z-score. */
    static final double MIN_SCALE = 0.1;
    /** At most this many categories per categorical feature get their own one-hot slot. */
    static final int MAX_CATEGORIES = 64;
    /** A category needs this many training rows for its own slot; rarer ones share "other". */
    static final int MIN_CATEGORY_COUNT = 2;

    private FeatureSchemaFitter() {
    }

    /**
     * @param names   feature names, in schema order
     * @param numeric for each feature, whether it is numeric (else categorical)
     * @param rows    training rows as text cells
     * @param columns for each feature, its cell index in a row
     */
    public static List<FeatureSpec> fit(List<String> names, boolean[] numeric, List<String[]> rows, int[] columns) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot fit a feature schema on zero training rows");
        }
        List<FeatureSpec> specs = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            specs.add(numeric[f]
                    ? fitNumeric(names.get(f), rows, columns[f])
                    : fitCategorical(names.get(f), rows, columns[f]));
        }
        return specs;
    }

    static FeatureSpec fitNumeric(String name, List<String[]> rows, int column) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.parseDouble(rows.get(i)[column].trim());
        }
        double min = Arrays.stream(values).min().orElse(0);
        double max = Arrays.stream(values).max().orElse(0);
        // Non-negative values that go above 1 are counts, sizes or durations: heavy-tailed, so
        // compare them on a log scale (a 10x jump in bytes matters, not +1,000 bytes).
        FeatureSpec.Transform transform = min >= 0 && max > 1 ? FeatureSpec.Transform.LOG1P
                : FeatureSpec.Transform.IDENTITY;
        double[] t = values.clone();
        if (transform == FeatureSpec.Transform.LOG1P) {
            for (int i = 0; i < t.length; i++) {
                t[i] = Math.log1p(t[i]);
            }
        }
        Arrays.sort(t);
        double median = quantile(t, 0.5);
        double robust = (quantile(t, 0.75) - quantile(t, 0.25)) / 1.349;
        double scale = robust >= 1e-3 ? robust : standardDeviation(t);
        return FeatureSpec.numeric(name, transform, median, Math.max(scale, MIN_SCALE), min, max);
    }

    static FeatureSpec fitCategorical(String name, List<String[]> rows, int column) {
        Map<String, Integer> counts = new HashMap<>();
        for (String[] row : rows) {
            counts.merge(row[column].trim(), 1, Integer::sum);
        }
        List<String> categories = counts.entrySet().stream()
                .filter(e -> e.getValue() >= MIN_CATEGORY_COUNT)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_CATEGORIES)
                .map(Map.Entry::getKey)
                .toList();
        return FeatureSpec.categorical(name, categories);
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
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
