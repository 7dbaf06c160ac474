package io.recon.feature;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How one input feature becomes model inputs. Numeric: optional {@code log1p} (heavy-tailed
 * counts such as bytes and packets), then {@code (x - center) / scale}. Categorical: one-hot over
 * the categories seen in training, plus one "other" slot for anything unseen.
 *
 * @param name       feature name, as in the event's {@code features} object
 * @param kind       numeric or categorical
 * @param transform  numeric only: {@code identity} or {@code log1p}
 * @param center     numeric only: subtracted after the transform (training median)
 * @param scale      numeric only: divides after centering (robust spread, floored)
 * @param categories categorical only: known values, in one-hot order
 * @param min        numeric only: smallest training value (raw units), or null
 * @param max        numeric only: largest training value (raw units), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureSpec(String name, Kind kind, Transform transform, Double center, Double scale,
        List<String> categories, Double min, Double max) {

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
        /** {@code log(1 + x)}, for non-negative heavy-tailed counts; negative inputs are rejected. */
        LOG1P
    }

    /** A numeric feature. */
    public static FeatureSpec numeric(String name, Transform transform, double center, double scale) {
        return new FeatureSpec(name, Kind.NUMERIC, transform, center, scale, null, null, null);
    }

    /** A numeric feature with the range of its training values. */
    public static FeatureSpec numeric(String name, Transform transform, double center, double scale, double min,
            double max) {
        return new FeatureSpec(name, Kind.NUMERIC, transform, center, scale, null, min, max);
    }

    /** A categorical feature. */
    public static FeatureSpec categorical(String name, List<String> categories) {
        return new FeatureSpec(name, Kind.CATEGORICAL, null, null, null, List.copyOf(categories), null, null);
    }

    /** How many model inputs this feature takes. */
    public int width() {
        return kind == Kind.NUMERIC ? 1 : categories.size() + 1;
    }
}
