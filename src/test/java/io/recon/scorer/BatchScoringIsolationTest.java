package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.recon.event.InvalidEventException;

/** A record the model fails on costs only itself, never its batch. */
class BatchScoringIsolationTest {

    /** Stands in for a model that throws on one kind of input; every other payload is rejected by name. */
    private static final Function<List<byte[]>, List<Outcome>> FAILS_ON_POISON = payloads -> {
        List<Outcome> out = new ArrayList<>();
        for (byte[] p : payloads) {
            String text = new String(p, StandardCharsets.UTF_8);
            if (text.equals("poison")) {
                throw new IllegalStateException("native failure");
            }
            out.add(Outcome.rejected(new InvalidEventException("seen", text)));
        }
        return out;
    };

    @Test
    void aBatchThatFailsIsScoredRecordByRecord() {
        List<byte[]> batch = List.of(bytes("a"), bytes("poison"), bytes("b"));
        List<Outcome> outcomes = BatchScoring.scoreIsolated(batch, "telemetry", FAILS_ON_POISON);
        assertEquals(3, outcomes.size());
        assertEquals("a", outcomes.get(0).rejection().getMessage());
        assertEquals("scoring_failed", outcomes.get(1).rejection().reason());
        assertFalse(outcomes.get(1).rejection().getMessage().contains("native failure"),
                "the reason names the failure's type, not its text");
        assertTrue(outcomes.get(1).rejection().getMessage().contains("IllegalStateException"));
        assertEquals("b", outcomes.get(2).rejection().getMessage());
    }

    @Test
    void aBatchThatScoresIsScoredInOnePass() {
        int[] calls = {0};
        BatchScoring.scoreIsolated(List.of(bytes("a"), bytes("b")), "telemetry", p -> {
            calls[0]++;
            return FAILS_ON_POISON.apply(p);
        });
        assertEquals(1, calls[0]);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
