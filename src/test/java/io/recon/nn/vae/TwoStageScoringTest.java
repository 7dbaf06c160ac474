package io.recon.nn.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.recon.calibration.ScoreCalibration;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.feature.FeatureEncoder;

/**
 * The two-stage path decides exactly as the full K-sample computation on every recorded flow of
 * the three captures (the training capture, the hold-out capture and the joint-anomaly capture; normal
 * and attack), in the scorer's batches: the same alerts; every score of a flow that needed the second
 * stage, and so of every alerting flow, equal to the last bit, with the same explanation; for the
 * others the same reconstruction error and explanation and a bound that is never below the full
 * negative IWAE.
 */
@Tag("plain-djl")
class TwoStageScoringTest {

    private static final int BATCH = 440; // the scorer's batch in the throughput run

    @Test
    void decidesAsTheFullComputationOnEveryRecordedFlow() {
        try (ModelBundle bundle = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), new ObjectMapper())) {
            assertEquals("iwae", bundle.manifest().scoring().alertScore());
            ScoreCalibration calibration = bundle.calibration();
            double threshold = calibration.threshold();
            int flows = 0;
            int alerts = 0;
            int secondStage = 0;
            for (String capture : List.of("tests/data/telemetry/flows.csv.gz", "tests/data/telemetry/flows-holdout.csv.gz",
                    "tests/data/telemetry/flows-joint.csv.gz")) {
                List<float[]> rows = encoded(bundle.encoder(), TabularReader.read(Path.of(capture)));
                for (int start = 0; start < rows.size(); start += BATCH) {
                    List<float[]> batch = rows.subList(start, Math.min(rows.size(), start + BATCH));
                    List<ScoredRow> full = bundle.scorer().score(batch);
                    VaeScorer.TwoStageScores twoStage = bundle.scorer().scoreTwoStage(batch, threshold);
                    secondStage += twoStage.fullRows();
                    for (int i = 0; i < batch.size(); i++) {
                        ScoredRow f = full.get(i);
                        ScoredRow t = twoStage.rows().get(i);
                        String where = capture + " row " + (start + i);
                        boolean alert = calibration.isAnomalous(f.scores().iwae());
                        assertEquals(alert, calibration.isAnomalous(t.scores().iwae()), where);
                        assertEquals(f.scores().reconstructionError(), t.scores().reconstructionError(), where);
                        assertArrayEquals(f.columnErrors(), t.columnErrors(), where);
                        assertArrayEquals(f.reconstructed(), t.reconstructed(), where);
                        if (t.scores().bound()) {
                            assertTrue(!alert, where + " settled in stage one yet alerts");
                            assertTrue(t.scores().iwae() >= f.scores().iwae(), where + ": bound "
                                    + t.scores().iwae() + " below the full score " + f.scores().iwae());
                        } else {
                            assertEquals(f.scores(), t.scores(), where);
                        }
                        alerts += alert ? 1 : 0;
                    }
                    flows += batch.size();
                }
            }
            System.out.printf("two-stage scoring: %,d flows, %,d alerts, %,d (%.1f%%) needed the second stage; every "
                    + "score of those equal to the full computation's to the last bit%n", flows, alerts, secondStage,
                    100.0 * secondStage / flows);
            assertTrue(alerts > 1000, "the captures hold thousands of attack flows: " + alerts);
            assertTrue(secondStage < flows, "stage one settles some flows");
        }
    }

    private static List<float[]> encoded(FeatureEncoder encoder, Table table) {
        int[] columns = encoder.specs().stream().mapToInt(s -> table.columnIndex(s.name())).toArray();
        List<float[]> rows = new ArrayList<>();
        for (String[] row : table.rows()) {
            rows.add(encoder.encodeCells(row, columns));
        }
        return rows;
    }
}
