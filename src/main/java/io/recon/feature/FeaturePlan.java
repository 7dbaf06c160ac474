package io.recon.feature;

/**
 * What training decided about one feature before fitting it: its kind, its transform and whether
 * the user declared the kind. Decided from the whole table; centre and scale come later, from the
 * training rows only.
 *
 * @param name      feature name
 * @param column    the feature's cell index in a row
 * @param kind      declared or inferred kind
 * @param transform numeric only: transform before standardisation (null for categories)
 * @param declared  whether the user declared {@code kind}
 */
public record FeaturePlan(String name, int column, ValueKind kind, FeatureSpec.Transform transform,
        boolean declared) {
}
