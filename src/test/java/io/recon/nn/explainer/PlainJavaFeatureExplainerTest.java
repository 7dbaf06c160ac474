package io.recon.nn.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ExplainerBundle;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.feature.FeatureEncoder;

/**
 * The plain-Java explanation of a few rows (what the explainer role computes per poll) gives what
 * the DJL pass gives, for the bundled telemetry explainer on recorded normal and attack flows of
 * the training and joint-anomaly captures: every surprise, expected value and spread to float
 * rounding, the same likeliest category with the same probability.
 */
@Tag("plain-djl")
class PlainJavaFeatureExplainerTest {

    @Test
    void explainsRecordedFlowsAsTheDjlPassDoes() {
        try (ExplainerBundle bundle = ExplainerBundle.load(Path.of("models/telemetry-explainer"), Device.cpu(),
                new ObjectMapper())) {
            MaskedFeatureModel model = bundle.model();
            List<float[]> rows = new ArrayList<>();
            for (String capture : List.of("tests/data/telemetry/flows.csv.gz",
                    "tests/data/telemetry/flows-joint.csv.gz")) {
                rows.addAll(sample(bundle.encoder(), TabularReader.read(Path.of(capture)), 150));
            }
            List<MaskedFeatureModel.Explanation> djl = model.explainInDjl(rows);
            double largest = 0;
            for (int start = 0; start < rows.size(); start += 3) { // polls of three alerts
                List<float[]> poll = rows.subList(start, Math.min(rows.size(), start + 3));
                List<MaskedFeatureModel.Explanation> plain = model.explain(poll);
                for (int i = 0; i < poll.size(); i++) {
                    MaskedFeatureModel.Explanation d = djl.get(start + i);
                    MaskedFeatureModel.Explanation p = plain.get(i);
                    String where = "row " + (start + i);
                    for (int k = 0; k < d.surprise().length; k++) {
                        largest = Math.max(largest, close(d.surprise()[k], p.surprise()[k], where + " surprise " + k));
                        largest = Math.max(largest, close(d.expected()[k], p.expected()[k], where + " expected " + k));
                        largest = Math.max(largest, close(d.spread()[k], p.spread()[k], where + " spread " + k));
                        assertEquals(d.likeliestSlot()[k], p.likeliestSlot()[k], where + " slot " + k);
                        largest = Math.max(largest, close(d.likeliestShare()[k], p.likeliestShare()[k],
                                where + " share " + k));
                    }
                }
            }
            System.out.printf("plain-Java explanations of %d flows: largest relative difference from DJL %.2g%n",
                    rows.size(), largest);
        }
    }

    /** Relative difference (of the value, or of 1 for small values), asserted below 1e-4. */
    private static double close(double expected, double actual, String where) {
        double relative = Math.abs(expected - actual) / Math.max(1, Math.abs(expected));
        assertTrue(relative <= 1e-4, where + ": " + actual + " against " + expected);
        return relative;
    }

    /** Every n-th row, normal and attack alike, encoded. */
    private static List<float[]> sample(FeatureEncoder encoder, Table table, int count) {
        int[] columns = encoder.specs().stream().mapToInt(s -> table.columnIndex(s.name())).toArray();
        int step = Math.max(1, table.size() / count);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < table.size() && rows.size() < count; i += step) {
            rows.add(encoder.encodeCells(table.rows().get(i), columns));
        }
        return rows;
    }
}
