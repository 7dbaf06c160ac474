package io.recon.feature;

import java.util.Arrays;

/**
 * Chooses the transform (and an inferred kind) of a numeric column nobody declared, from the values
 * of every row of the table. Looking at all rows leaks no labels and keeps a column that is
 * non-negative in the normal rows but negative in others from being read as a count that can never
 * be negative. Centre and scale are fitted later, on the training rows only.
 *
 * <p>Rules, conservative on purpose (an inferred kind never rejects a value):
 * <ul>
 * <li>never negative and above 1 somewhere: {@code log1p} (counts, sizes, durations are heavy-tailed);
 *     kind {@link ValueKind#COUNT} when every value is a whole number, else {@link ValueKind#NUMBER};
 * <li>negative somewhere, above 1 in magnitude, and either mostly non-negative (a count-like column
 *     with a few odd values) or heavy-tailed: {@code sign(x) log1p(|x|)}, kind NUMBER;
 * <li>anything else: identity, kind NUMBER.
 * </ul>
 */
public final class TransformInference {

    /** At most this share of negative values still reads as "mostly non-negative". */
    static final double MOSTLY_NON_NEGATIVE = 0.25;
    /** A signed column is heavy-tailed when its largest magnitude exceeds this many typical ones. */
    static final double HEAVY_TAIL_RATIO = 100;

    /**
     * @param transform the chosen transform
     * @param kind      the inferred kind
     */
    public record Inferred(FeatureSpec.Transform transform, ValueKind kind) {
    }

    private TransformInference() {
    }

    /** Infers from a column's values (every row, any order). */
    public static Inferred infer(double[] values) {
        if (values.length == 0) {
            return new Inferred(FeatureSpec.Transform.IDENTITY, ValueKind.NUMBER);
        }
        int negatives = 0;
        boolean whole = true;
        double max = Double.NEGATIVE_INFINITY;
        double[] magnitudes = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            negatives += v < 0 ? 1 : 0;
            whole &= v == Math.rint(v);
            max = Math.max(max, v);
            magnitudes[i] = Math.abs(v);
        }
        if (negatives == 0) {
            return max > 1
                    ? new Inferred(FeatureSpec.Transform.LOG1P, whole ? ValueKind.COUNT : ValueKind.NUMBER)
                    : new Inferred(FeatureSpec.Transform.IDENTITY, ValueKind.NUMBER);
        }
        Arrays.sort(magnitudes);
        double largest = magnitudes[magnitudes.length - 1];
        double typical = Math.max(1, FeatureSchemaFitter.quantile(magnitudes, 0.5));
        boolean mostlyNonNegative = negatives <= MOSTLY_NON_NEGATIVE * values.length;
        boolean heavyTailed = largest > HEAVY_TAIL_RATIO * typical;
        return largest > 1 && (mostlyNonNegative || heavyTailed)
                ? new Inferred(FeatureSpec.Transform.SIGNED_LOG1P, ValueKind.NUMBER)
                : new Inferred(FeatureSpec.Transform.IDENTITY, ValueKind.NUMBER);
    }
}
