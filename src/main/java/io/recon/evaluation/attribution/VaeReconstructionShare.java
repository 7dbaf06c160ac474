package io.recon.evaluation.attribution;

import java.util.List;

import io.recon.feature.FeatureEncoder;
import io.recon.nn.vae.ScoredRow;
import io.recon.nn.vae.VaeScorer;

/**
 * Each feature's part of the VAE's reconstruction term at the posterior mean: the errors of its
 * encoded columns summed (what an alert's contributions list for its top features, here for all).
 */
public final class VaeReconstructionShare implements FeatureAttribution {

    private static final int BATCH = 1024;

    private final VaeScorer scorer;
    private final FeatureEncoder encoder;

    /**
     * @param scorer  the VAE
     * @param encoder its feature encoder, which maps columns to features
     */
    public VaeReconstructionShare(VaeScorer scorer, FeatureEncoder encoder) {
        this.scorer = scorer;
        this.encoder = encoder;
    }

    /** Per-column errors of one row ({@link ScoredRow#columnErrors()}) summed per feature. */
    public static double[] byFeature(FeatureEncoder encoder, float[] columnErrors) {
        double[] out = new double[encoder.specs().size()];
        for (int c = 0; c < columnErrors.length; c++) {
            out[encoder.featureOfColumn(c)] += columnErrors[c];
        }
        return out;
    }

    @Override
    public double[][] attribute(List<float[]> rows) {
        double[][] out = new double[rows.size()][encoder.specs().size()];
        for (int start = 0; start < rows.size(); start += BATCH) {
            List<ScoredRow> scored = scorer.score(rows.subList(start, Math.min(rows.size(), start + BATCH)));
            for (int r = 0; r < scored.size(); r++) {
                out[start + r] = byFeature(encoder, scored.get(r).columnErrors());
            }
        }
        return out;
    }
}
