package io.recon.nn.vae;

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
 * and attack), in the scorer's batches: the same alerts, every score of an
 * alerting flow equal to float32 rounding, and for the others the reconstruction error and a bound
 * that is never below the full negative IWAE.
 */
@Tag("plain-djl")
class TwoStageScoringTest {

    private static final int BATCH = 440; // the scorer's batch in the throughput run
    private static double largestDifference;

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
                        assertClose(f.scores().reconstructionError(), t.scores().reconstructionError(), where);
                        if (t.scores().bound()) {
                            assertTrue(!alert, where + " settled in stage one yet alerts");
                            assertTrue(t.scores().iwae() >= f.scores().iwae(), where + ": bound "
                                    + t.scores().iwae() + " below the full score " + f.scores().iwae());
                        } else {
                            assertClose(f.scores().negativeElbo(), t.scores().negativeElbo(), where);
                            assertClose(f.scores().iwae(), t.scores().iwae(), where);
                        }
                        alerts += alert ? 1 : 0;
                    }
                    flows += batch.size();
                }
            }
            System.out.printf("two-stage scoring: %,d flows, %,d alerts, %,d (%.1f%%) needed the second stage; largest "
                    + "relative difference from the full computation %.2g%n", flows, alerts, secondStage,
                    100.0 * secondStage / flows, largestDifference);
            assertTrue(alerts > 1000, "the captures hold thousands of attack flows: " + alerts);
            assertTrue(secondStage < flows, "stage one settles some flows");
        }
    }

    /**
     * Equal to float32 rounding (2e-5 of the value, or of 1 nat). The second stage scores its rows as a smaller batch, and libtorch's
     * CPU kernels round a row differently with the batch's size (a flow scored in a batch of 7 and
     * of 440 differs in the 7th digit, as it does in today's path between two Kafka polls), so the
     * last bit is not a property of a flow; the decision, guarded by a margin (1e-4 of the threshold) wider than that
     * rounding, is.
     */
    private static void assertClose(double expected, double actual, String where) {
        double relative = Math.abs(expected - actual) / Math.max(1, Math.abs(expected));
        largestDifference = Math.max(largestDifference, relative);
        assertTrue(relative <= 2e-5, where + ": " + actual + " against " + expected);
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
