package io.recon.explainer;

import java.util.ArrayList;
import java.util.List;

import io.recon.bundle.ModelBundle;
import io.recon.evaluation.attribution.RepairGain;
import io.recon.evaluation.attribution.VaeReconstructionShare;
import io.recon.feature.FeatureEncoder;
import io.recon.nn.vae.PlainJavaVaeScorer;

/**
 * What the scoring VAE says of each feature of the alerts of one poll: how far its alert score falls
 * when the feature alone is set to the VAE's reconstruction of it (the repair gain, the ranking;
 * {@link RepairGain#toReconstruction}) and the feature's share of the reconstruction term. The alerts
 * are reconstructed in plain Java (a few rows, where DJL's per-call cost would be most of the work),
 * then every repaired copy is scored in one DJL pass with one importance sample, which on
 * explain-benchmark's validation split ranked causes as well as the bundle's K (mean AP on alerting
 * rows 0.974 against 0.975). Not thread-safe: the explainer role calls it from its one thread.
 */
public final class VaeCauses {

    /**
     * @param repairGain per alert, per feature: the alert score minus the score with the feature
     *                   repaired, nats
     * @param share      per alert, per feature: its part of the reconstruction term
     */
    public record Attributions(double[][] repairGain, double[][] share) {
    }

    private final PlainJavaVaeScorer reconstruction;
    private final FeatureEncoder encoder;
    private final RepairGain repairGain;

    private VaeCauses(PlainJavaVaeScorer reconstruction, FeatureEncoder encoder, RepairGain repairGain) {
        this.reconstruction = reconstruction;
        this.encoder = encoder;
        this.repairGain = repairGain;
    }

    /** For the VAE of {@code vae}, whose alerts are judged by its manifest's alert score. */
    public static VaeCauses of(ModelBundle vae) {
        long seed = vae.manifest().scoring().samplesSeed();
        return new VaeCauses(new PlainJavaVaeScorer(vae.block(), 1, seed), vae.encoder(),
                RepairGain.toReconstruction(vae.block(), vae.manager(), vae.encoder(), seed,
                        vae.manifest().scoring().alertScore()));
    }

    /** Both attributions of every encoded alert row. */
    public Attributions of(List<float[]> rows) {
        List<float[]> expected = new ArrayList<>(rows.size());
        double[][] share = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            PlainJavaVaeScorer.Reconstruction at = reconstruction.reconstruct(rows.get(r));
            expected.add(RepairGain.oneHotCategories(encoder, at.mean()));
            share[r] = VaeReconstructionShare.byFeature(encoder, at.columnErrors());
        }
        return new Attributions(repairGain.attribute(rows, expected), share);
    }
}
