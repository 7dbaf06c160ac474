package io.recon.evaluation.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.recon.event.EventScores;
import io.recon.feature.FeatureEncoder;
import io.recon.nn.vae.ScoredRow;
import io.recon.nn.vae.VaeScorer;

/**
 * How far the VAE's alert score falls when one feature alone is repaired: set to the value a model
 * expected for it, every other feature kept. The feature whose repair brings the event back the most
 * is named the cause ("what one change would make this event normal"). A share of the reconstruction
 * term can miss it: an out-of-range value pulls the latent code, and the error then spreads over
 * features that are themselves ordinary.
 */
public final class RepairGain implements FeatureAttribution {

    /** Rows per scoring call: each row is scored once as it is and once per feature repaired. */
    private static final int BATCH = 2048;

    /** Where the repaired values come from: per row, an encoded row of what was expected of each feature. */
    @FunctionalInterface
    public interface Expectation {

        /**
         * @param rows encoded rows
         * @return per row, an encoded row whose columns of feature f hold the value expected for f
         */
        List<float[]> expected(List<float[]> rows);
    }

    private final VaeScorer scorer;
    private final FeatureEncoder encoder;
    private final Expectation expectation;
    private final ToDoubleFunction<EventScores> score;

    /**
     * @param scorer      the VAE
     * @param encoder     its feature encoder, which maps features to columns
     * @param expectation the repaired values
     * @param score       the score whose fall is measured (the alert score)
     */
    public RepairGain(VaeScorer scorer, FeatureEncoder encoder, Expectation expectation,
            ToDoubleFunction<EventScores> score) {
        this.scorer = scorer;
        this.encoder = encoder;
        this.expectation = expectation;
        this.score = score;
    }

    /**
     * The VAE's own reconstruction at the posterior mean as the expectation; a category's repair is
     * its likeliest slot.
     */
    public static Expectation vaeReconstruction(VaeScorer scorer, FeatureEncoder encoder) {
        return rows -> {
            List<float[]> out = new ArrayList<>(rows.size());
            for (int start = 0; start < rows.size(); start += BATCH) {
                for (ScoredRow r : scorer.score(rows.subList(start, Math.min(rows.size(), start + BATCH)))) {
                    out.add(oneHotCategories(encoder, r.reconstructed()));
                }
            }
            return out;
        };
    }

    /** A copy of {@code row} with each category's block set to one 1 at its largest value. */
    public static float[] oneHotCategories(FeatureEncoder encoder, float[] row) {
        float[] out = row.clone();
        for (int f = 0; f < encoder.specs().size(); f++) {
            int width = encoder.specs().get(f).width();
            if (encoder.specs().get(f).kind() == io.recon.feature.FeatureSpec.Kind.CATEGORICAL) {
                int at = encoder.offset(f);
                int best = 0;
                for (int s = 1; s < width; s++) {
                    if (row[at + s] > row[at + best]) {
                        best = s;
                    }
                }
                for (int s = 0; s < width; s++) {
                    out[at + s] = s == best ? 1f : 0f;
                }
            }
        }
        return out;
    }

    @Override
    public double[][] attribute(List<float[]> rows) {
        int features = encoder.specs().size();
        List<float[]> expected = expectation.expected(rows);
        List<float[]> variants = new ArrayList<>(rows.size() * (features + 1));
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            variants.add(row);
            for (int f = 0; f < features; f++) {
                float[] repaired = row.clone();
                int at = encoder.offset(f);
                System.arraycopy(expected.get(r), at, repaired, at, encoder.specs().get(f).width());
                variants.add(repaired);
            }
        }
        double[] scores = new double[variants.size()];
        for (int start = 0; start < variants.size(); start += BATCH) {
            List<ScoredRow> scored = scorer.score(variants.subList(start, Math.min(variants.size(), start + BATCH)));
            for (int i = 0; i < scored.size(); i++) {
                scores[start + i] = score.applyAsDouble(scored.get(i).scores());
            }
        }
        double[][] out = new double[rows.size()][features];
        for (int r = 0; r < rows.size(); r++) {
            int base = r * (features + 1);
            for (int f = 0; f < features; f++) {
                out[r][f] = scores[base] - scores[base + 1 + f];
            }
        }
        return out;
    }
}
