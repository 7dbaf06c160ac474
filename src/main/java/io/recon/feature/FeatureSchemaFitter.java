package io.recon.feature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a feature schema (centres, scales, category vocabularies) from the training rows only, so
 * nothing about the calibration or test rows leaks into the model. Kinds and transforms are decided
 * beforehand, from the whole table, by {@link FeaturePlanner}.
 */
public final class FeatureSchemaFitter {

    /** Smallest scale a numeric feature gets: a constant in training still has a finite z-score. */
    static final double MIN_SCALE = RobustScale.MIN_SCALE;
    /** At most this many categories per categorical feature get their own one-hot slot. */
    static final int MAX_CATEGORIES = 64;
    /** A category needs this many training rows for its own slot; rarer ones share "other". */
    static final int MIN_CATEGORY_COUNT = 2;

    private FeatureSchemaFitter() {
    }

    /**
     * Fits with kinds and transforms inferred from {@code rows} alone (no declarations).
     *
     * @param names   feature names, in schema order
     * @param numeric for each feature, whether it is numeric (else categorical)
     * @param rows    training rows as text cells
     * @param columns for each feature, its cell index in a row
     */
    public static List<FeatureSpec> fit(List<String> names, boolean[] numeric, List<String[]> rows, int[] columns) {
        return fit(FeaturePlanner.plan(names, columns, numeric, Map.of(), rows), rows);
    }

    /**
     * Fits centres, scales and vocabularies of planned features on the training rows.
     *
     * @param plans kinds and transforms, in schema order
     * @param rows  training rows as text cells
     */
    public static List<FeatureSpec> fit(List<FeaturePlan> plans, List<String[]> rows) {
        return fit(plans, rows, Normalisation.ROBUST);
    }

    /**
     * Fits centres, scales (and, for {@link Normalisation#QUANTILE}, quantiles) and vocabularies of
     * planned features on the training rows.
     *
     * @param plans         kinds and transforms, in schema order
     * @param rows          training rows as text cells
     * @param normalisation how numbers are put on a common scale
     */
    public static List<FeatureSpec> fit(List<FeaturePlan> plans, List<String[]> rows, Normalisation normalisation) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot fit a feature schema on zero training rows");
        }
        List<FeatureSpec> specs = new ArrayList<>();
        for (FeaturePlan plan : plans) {
            specs.add(plan.kind() == ValueKind.CATEGORY
                    ? fitCategorical(plan, rows)
                    : fitNumeric(plan, rows, normalisation));
        }
        return specs;
    }

    static FeatureSpec fitNumeric(FeaturePlan plan, List<String[]> rows, Normalisation normalisation) {
        double[] values = FeaturePlanner.values(rows, plan.column());
        if (values.length == 0) {
            throw new IllegalArgumentException("feature '" + plan.name() + "' has no values in the training rows");
        }
        double min = Arrays.stream(values).min().orElse(0);
        double max = Arrays.stream(values).max().orElse(0);
        double[] t = new double[values.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = plan.transform().apply(values[i]);
        }
        Arrays.sort(t);
        FeatureSpec spec = FeatureSpec.numeric(plan.name(), plan.transform(), quantile(t, 0.5), RobustScale.of(t),
                min, max, plan.kind(), plan.declared());
        return normalisation == Normalisation.QUANTILE ? spec.withQuantiles(QuantileScale.knotsOf(t)) : spec;
    }

    static FeatureSpec fitCategorical(FeaturePlan plan, List<String[]> rows) {
        Map<String, Integer> counts = new HashMap<>();
        for (String[] row : rows) {
            counts.merge(row[plan.column()].trim(), 1, Integer::sum);
        }
        List<String> categories = counts.entrySet().stream()
                .filter(e -> e.getValue() >= MIN_CATEGORY_COUNT)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_CATEGORIES)
                .map(Map.Entry::getKey)
                .toList();
        return FeatureSpec.categorical(plan.name(), categories, plan.declared());
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
}
