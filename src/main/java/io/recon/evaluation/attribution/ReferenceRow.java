package io.recon.evaluation.attribution;

import java.util.Arrays;
import java.util.List;

import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;

/**
 * The "nothing unusual" row attributions are measured against: each numeric feature at the median of
 * its encoded training values (0 in standardised units, as the encoder centres numbers on the training
 * median), each categorical feature as the one-hot of its most common training category (an all-zero
 * block would be no category at all). One fixed row, so attributions against it are deterministic.
 */
public final class ReferenceRow {

    /** How reports describe it. */
    public static final String DESCRIPTION = "per feature, the median of the encoded training rows for numbers "
            + "(standardised 0, the training median) and the most common training category for categories";

    private ReferenceRow() {
    }

    /**
     * @param training encoded training rows (at least one)
     * @return the reference, of the encoder's width
     */
    public static float[] of(FeatureEncoder encoder, List<float[]> training) {
        if (training.isEmpty()) {
            throw new IllegalArgumentException("a reference row needs at least one training row");
        }
        float[] out = new float[encoder.width()];
        for (int f = 0; f < encoder.specs().size(); f++) {
            FeatureSpec spec = encoder.specs().get(f);
            int at = encoder.offset(f);
            if (spec.kind() == FeatureSpec.Kind.NUMERIC) {
                float[] v = new float[training.size()];
                for (int r = 0; r < v.length; r++) {
                    v[r] = training.get(r)[at];
                }
                Arrays.sort(v);
                int mid = v.length / 2;
                out[at] = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
            } else {
                int[] counts = new int[spec.width()];
                for (float[] row : training) {
                    for (int s = 0; s < counts.length; s++) {
                        counts[s] += row[at + s] > 0.5f ? 1 : 0;
                    }
                }
                int best = 0;
                for (int s = 1; s < counts.length; s++) {
                    best = counts[s] > counts[best] ? s : best;
                }
                out[at + best] = 1f;
            }
        }
        return out;
    }
}
