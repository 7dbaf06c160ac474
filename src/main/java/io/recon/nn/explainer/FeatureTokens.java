package io.recon.nn.explainer;

import java.util.List;

import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;

/**
 * Where each feature lies in the VAE's encoded row, as the masked-feature transformer reads it: a
 * numeric feature is one standardised column, a categorical one a one-hot block (its last slot
 * "(other)"). One feature becomes one token.
 *
 * @param names   feature names, in order
 * @param numeric whether each feature is numeric
 * @param offsets each feature's first column in the encoded row
 * @param widths  each feature's columns (1 for numbers)
 * @param width   columns of the encoded row
 */
public record FeatureTokens(List<String> names, boolean[] numeric, int[] offsets, int[] widths, int width) {

    /** The layout of {@code encoder}'s rows. */
    public static FeatureTokens of(FeatureEncoder encoder) {
        List<FeatureSpec> specs = encoder.specs();
        int n = specs.size();
        boolean[] numeric = new boolean[n];
        int[] offsets = new int[n];
        int[] widths = new int[n];
        for (int f = 0; f < n; f++) {
            numeric[f] = specs.get(f).kind() == FeatureSpec.Kind.NUMERIC;
            offsets[f] = encoder.offset(f);
            widths[f] = specs.get(f).width();
        }
        return new FeatureTokens(specs.stream().map(FeatureSpec::name).toList(), numeric, offsets, widths,
                encoder.width());
    }

    /** Features, that is tokens. */
    public int count() {
        return names.size();
    }

    /** (width x features): column w of a row times it gives each numeric feature's value, 0 for categories. */
    float[] numericPick() {
        float[] m = new float[width * count()];
        for (int f = 0; f < count(); f++) {
            if (numeric[f]) {
                m[offsets[f] * count() + f] = 1;
            }
        }
        return m;
    }

    /** (features x width): 1 on each categorical feature's own slots, 0 elsewhere (all 0 for numbers). */
    float[] categorySlots() {
        float[] m = new float[count() * width];
        for (int f = 0; f < count(); f++) {
            if (!numeric[f]) {
                for (int w = offsets[f]; w < offsets[f] + widths[f]; w++) {
                    m[f * width + w] = 1;
                }
            }
        }
        return m;
    }

    /** 1 for each numeric feature, 0 for each categorical one. */
    float[] numericFlags() {
        float[] m = new float[count()];
        for (int f = 0; f < count(); f++) {
            m[f] = numeric[f] ? 1 : 0;
        }
        return m;
    }
}
