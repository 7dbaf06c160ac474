package io.recon.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Proves the explanation latency benchmark works end to end on a tiny load (CI): the packaged jar's
 * explainer role explains every offered alert and the report has every figure. It asserts nothing
 * about how fast.
 */
class ExplanationLatencyBenchmarkIT {

    @TempDir
    Path dir;

    @Test
    void tinyRunExplainsEveryAlert() throws Exception {
        Path out = dir.resolve("explanation-latency.json");
        JsonNode r = new ExplanationLatencyBenchmark(Map.of("rates", "50", "seconds", "2", "warmup-seconds", "1",
                "broker-warm-up-seconds", "1", "out", out.toString())).run();
        assertTrue(Files.exists(out));
        assertTrue(r.path("computeFloor").path("p99Ms").asDouble() > 0);
        assertEquals(200, r.path("brokerWarmUp").path("readBack").asLong(), "the broker warm-up is read back: " + r);
        assertEquals(100, r.path("warmUp").path("explanations").asInt(), "the warm-up is measured too: " + r);
        JsonNode phase = r.path("latency").get(0);
        assertEquals(100, phase.path("alerts").asInt());
        assertEquals(100, phase.path("explanations").asInt(), "every alert was explained");
        assertTrue(phase.path("p99Ms").asLong() >= phase.path("p50Ms").asLong());
    }
}
