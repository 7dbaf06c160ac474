package io.recon.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ModelBundle;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.evaluation.attribution.RepairGain;
import io.recon.evaluation.attribution.VaeReconstructionShare;
import io.recon.feature.FeatureEncoder;
import io.recon.nn.vae.VaeScorer;

/**
 * The explainer role's shortcut ({@link VaeCauses}: the alerts reconstructed in plain Java, then
 * their repaired copies scored with DJL) gives what explain-benchmark judged: the repair gain of
 * {@link RepairGain#toReconstruction} and the share of {@link VaeReconstructionShare}, both all-DJL,
 * on real flows of the bundled telemetry model, attacks and normal traffic alike.
 */
@Tag("plain-djl")
class VaeCausesTest {

    @Test
    void theRolesShortcutGivesTheBenchmarkedRepairGainAndShare() {
        try (ModelBundle bundle = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), new ObjectMapper())) {
            FeatureEncoder encoder = bundle.encoder();
            List<float[]> rows = flows(bundle);
            VaeCauses.Attributions shortcut = VaeCauses.of(bundle).of(rows);
            double[][] gain = RepairGain.toReconstruction(bundle.block(), bundle.manager(), encoder,
                    bundle.manifest().scoring().samplesSeed(), bundle.manifest().scoring().alertScore()).attribute(rows);
            double[][] share = new VaeReconstructionShare(bundle.scorer(), encoder).attribute(rows);
            // A gain is a difference of two float32 scores; an attack's score reaches 1e7 nats, where
            // float32 rounds to whole nats, so the two paths agree to about 1e-5 of the larger.
            double[] scores = RepairGain.scoredBy(new VaeScorer(bundle.block(), bundle.manager(), 1,
                    bundle.manifest().scoring().samplesSeed()), s -> s.byName(bundle.manifest().scoring().alertScore()))
                    .of(rows);
            int sameFirst = 0;
            for (int r = 0; r < rows.size(); r++) {
                for (int f = 0; f < encoder.specs().size(); f++) {
                    assertEquals(share[r][f], shortcut.share()[r][f], 1e-3 + 1e-4 * Math.abs(share[r][f]),
                            "share, row " + r + " feature " + f);
                    assertEquals(gain[r][f], shortcut.repairGain()[r][f],
                            1e-2 + 1e-5 * Math.max(Math.abs(scores[r]), Math.abs(gain[r][f])),
                            "repair gain, row " + r + " feature " + f);
                }
                sameFirst += argmax(gain[r]) == argmax(shortcut.repairGain()[r]) ? 1 : 0;
            }
            assertTrue(sameFirst >= rows.size() - 1, sameFirst + " of " + rows.size() + " rows name the same first cause");
        }
    }

    @Test
    void theLeanOneSampleBoundIsTheOneSampleScorersIwae() {
        try (ModelBundle bundle = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), new ObjectMapper())) {
            List<float[]> rows = flows(bundle);
            VaeScorer oneSample = new VaeScorer(bundle.block(), bundle.manager(), 1,
                    bundle.manifest().scoring().samplesSeed());
            double[] lean = oneSample.oneSampleBound(rows);
            double[] full = RepairGain.scoredBy(oneSample, s -> s.iwae()).of(rows);
            for (int r = 0; r < rows.size(); r++) {
                assertEquals(full[r], lean[r], 1e-6 * Math.max(1, Math.abs(full[r])), "row " + r);
            }
        }
    }

    /** About 40 recorded flows spread over the bundle's capture, attacks and normal traffic alike, encoded. */
    private static List<float[]> flows(ModelBundle bundle) {
        FeatureEncoder encoder = bundle.encoder();
        Table table = TabularReader.read(Path.of(bundle.manifest().training().dataFile()));
        int[] columns = encoder.specs().stream().mapToInt(s -> table.columnIndex(s.name())).toArray();
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < table.size(); i += table.size() / 40) {
            rows.add(encoder.encodeCells(table.rows().get(i), columns));
        }
        return rows;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
