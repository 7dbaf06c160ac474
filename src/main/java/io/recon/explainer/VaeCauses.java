package io.recon.explainer;

import io.recon.evaluation.attribution.FeatureAttribution;
import io.recon.evaluation.attribution.RepairGain;
import io.recon.evaluation.attribution.VaeReconstructionShare;
import io.recon.nn.vae.VaeScorer;
import io.recon.feature.FeatureEncoder;

/**
 * What the scoring VAE says of each feature of an alert: how far its alert score falls when the
 * feature alone is repaired (the ranking) and the feature's share of its reconstruction term.
 *
 * @param repairGain per feature, the alert score minus the score with the feature set to the VAE's
 *                   reconstruction of it, nats
 * @param share      per feature, its part of the reconstruction term
 */
record VaeCauses(FeatureAttribution repairGain, FeatureAttribution share) {

    /** Both for the VAE behind {@code scorer}, whose alerts are judged by {@code alertScore}. */
    static VaeCauses of(VaeScorer scorer, FeatureEncoder encoder, String alertScore) {
        return new VaeCauses(new RepairGain(scorer, encoder, RepairGain.vaeReconstruction(scorer, encoder),
                scores -> scores.byName(alertScore)), new VaeReconstructionShare(scorer, encoder));
    }
}
