package io.recon.feature;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How one input feature becomes model inputs. Numeric: optional {@code log1p} (heavy-tailed
 * counts such as bytes and packets), then {@code (x - center) / scale}, or, in a bundle trained
 * with quantile normalisation, the normal score of the value's place among the training values
 * ({@link QuantileScale}). Categorical: one-hot over the categories seen in training, plus one
 * "other" slot for anything unseen.
 *
 * @param name       feature name, as in the event's {@code features} object
 * @param kind       numeric or categorical
 * @param transform  numeric only: {@code identity} or {@code log1p}
 * @param center     numeric only: subtracted after the transform (training median)
 * @param scale      numeric only: divides after centering (robust spread, floored)
 * @param categories categorical only: known values, in one-hot order
 * @param min        numeric only: smallest training value (raw units), or null
 * @param max        numeric only: largest training value (raw units), or null
 * @param valueKind  what the column measures (count, size, duration, number, category), or null in
 *                   bundles written before kinds were recorded
 * @param declared   true when the user declared {@code valueKind} (then values impossible for it are
 *                   rejected), false when training inferred it, null in older bundles
 * @param quantiles  numeric only, when trained with quantile normalisation: the transformed training
 *                   values' quantiles at evenly spaced probabilities (then {@code scale} is the
 *                   spread beyond them); null for centre-and-scale standardisation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureSpec(String name, Kind kind, Transform transform, Double center, Double scale,
        List<String> categories, Double min, Double max, ValueKind valueKind, Boolean declared,
        List<Double> quantiles) {

    /** The two kinds of feature. */
    public enum Kind {
        /** A number. */
        NUMERIC,
        /** A label from a finite set. */
        CATEGORICAL
    }

    /** Numeric transforms applied before standardisation. */
    public enum Transform {
        /** No transform. */
        IDENTITY,
        /**
         * {@code log(1 + x)}, for heavy-tailed columns that were non-negative in training. A negative
         * input (never seen in training) goes through {@code -log(1 + |x|)}, as {@link #SIGNED_LOG1P}, so
         * it is scored rather than rejected, unless the feature's declared kind forbids it.
         */
        LOG1P,
        /** {@code sign(x) * log(1 + |x|)}: the same as {@link #LOG1P} on {@code x >= 0}, for signed columns. */
        SIGNED_LOG1P;

        /** The transformed value of a raw value. */
        public double apply(double raw) {
            return this == IDENTITY ? raw : Math.signum(raw) * Math.log1p(Math.abs(raw));
        }

        /** The raw value of a transformed value (inverse of {@link #apply}). */
        public double invert(double transformed) {
            return this == IDENTITY ? transformed : Math.signum(transformed) * Math.expm1(Math.abs(transformed));
        }
    }

    /** A numeric feature. */
    public static FeatureSpec numeric(String name, Transform transform, double center, double scale) {
        return new FeatureSpec(name, Kind.NUMERIC, transform, center, scale, null, null, null, null, null, null);
    }

    /** A numeric feature with the range of its training values. */
    public static FeatureSpec numeric(String name, Transform transform, double center, double scale, double min,
            double max) {
        return new FeatureSpec(name, Kind.NUMERIC, transform, center, scale, null, min, max, null, null, null);
    }

    /** A numeric feature with its training range and its declared or inferred kind. */
    public static FeatureSpec numeric(String name, Transform transform, double center, double scale, double min,
            double max, ValueKind valueKind, boolean declared) {
        return new FeatureSpec(name, Kind.NUMERIC, transform, center, scale, null, min, max, valueKind, declared,
                null);
    }

    /** A categorical feature. */
    public static FeatureSpec categorical(String name, List<String> categories) {
        return new FeatureSpec(name, Kind.CATEGORICAL, null, null, null, List.copyOf(categories), null, null, null,
                null, null);
    }

    /** A categorical feature, recording whether the user declared it a category. */
    public static FeatureSpec categorical(String name, List<String> categories, boolean declared) {
        return new FeatureSpec(name, Kind.CATEGORICAL, null, null, null, List.copyOf(categories), null, null,
                ValueKind.CATEGORY, declared, null);
    }

    /** The same numeric feature normalised by its quantiles ({@code scale} becomes the spread beyond them). */
    public FeatureSpec withQuantiles(List<Double> knots) {
        if (kind != Kind.NUMERIC) {
            throw new IllegalArgumentException("only a numeric feature has quantiles: '" + name + "' is categorical");
        }
        return new FeatureSpec(name, kind, transform, center, scale, categories, min, max, valueKind, declared,
                List.copyOf(knots));
    }

    /**
     * Whether a negative value is impossible for this feature: only when the user declared a
     * non-negative kind. Inferred kinds and older bundles score negatives instead.
     */
    public boolean rejectsNegative() {
        return Boolean.TRUE.equals(declared) && valueKind != null && valueKind.nonNegative();
    }

    /** How many model inputs this feature takes. */
    public int width() {
        return kind == Kind.NUMERIC ? 1 : categories.size() + 1;
    }
}
