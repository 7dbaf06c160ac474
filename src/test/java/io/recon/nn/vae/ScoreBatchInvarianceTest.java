package io.recon.nn.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ModelBundle;
import io.recon.data.Table;
import io.recon.data.TabularReader;

/**
 * A flow's scores depend on the flow alone: scored alone, in a batch of 7 in reverse order, or in one
 * batch of thousands, it gets the same bits as in the scorer's batches of 440, explanation included.
 * Before the network ran in calls of one shape, a flow scored in a batch of 7 and in one of 440
 * differed in the 7th digit, so a replayed event could get another score than the first time.
 */
@Tag("plain-djl")
class ScoreBatchInvarianceTest {

    @Test
    void aFlowGetsTheSameBitsInAnyBatch() {
        try (ModelBundle bundle = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), new ObjectMapper())) {
            List<float[]> rows = new ArrayList<>();
            for (String capture : List.of("tests/data/telemetry/flows.csv.gz", "tests/data/telemetry/flows-joint.csv.gz")) {
                Table table = TabularReader.read(Path.of(capture));
                int[] columns = bundle.encoder().specs().stream().mapToInt(s -> table.columnIndex(s.name())).toArray();
                for (String[] row : table.rows().subList(0, 1_000)) {
                    rows.add(bundle.encoder().encodeCells(row, columns));
                }
            }
            VaeScorer scorer = bundle.scorer();
            List<ScoredRow> reference = inBatches(scorer, rows, 440);

            assertSame(reference, scorer.score(rows), "one batch of " + rows.size());
            List<float[]> reversed = new ArrayList<>(rows);
            Collections.reverse(reversed);
            List<ScoredRow> backwards = new ArrayList<>(inBatches(scorer, reversed, 7));
            Collections.reverse(backwards);
            assertSame(reference, backwards, "batches of 7, in reverse order");
            List<float[]> first = rows.subList(0, 100);
            assertSame(reference.subList(0, 100), inBatches(scorer, first, 1), "one at a time");

            double[] bounds = scorer.oneSampleBound(rows);
            for (int i = 0; i < 100; i++) {
                assertEquals(bounds[i], scorer.oneSampleBound(rows.subList(i, i + 1))[0], "one-sample bound of row " + i);
            }
        }
    }

    private static List<ScoredRow> inBatches(VaeScorer scorer, List<float[]> rows, int batch) {
        List<ScoredRow> out = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += batch) {
            out.addAll(scorer.score(rows.subList(start, Math.min(rows.size(), start + batch))));
        }
        return out;
    }

    private static void assertSame(List<ScoredRow> expected, List<ScoredRow> actual, String how) {
        assertEquals(expected.size(), actual.size(), how);
        for (int i = 0; i < expected.size(); i++) {
            String where = how + ", row " + i;
            assertEquals(expected.get(i).scores(), actual.get(i).scores(), where);
            assertArrayEquals(expected.get(i).columnErrors(), actual.get(i).columnErrors(), where);
            assertArrayEquals(expected.get(i).reconstructed(), actual.get(i).reconstructed(), where);
        }
    }
}
