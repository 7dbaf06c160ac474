package io.recon.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Proves the benchmark command works end to end on a tiny load (CI); asserts that every phase
 * produced its figures and every latency event got its verdict, never how fast anything was.
 * The image phase needs the Fashion-MNIST files (Debian package dataset-fashion-mnist) and says
 * so when they are absent.
 */
class ThroughputBenchmarkIT {

    @TempDir
    Path dir;

    @Test
    void tinyRunProducesEveryFigure() throws Exception {
        Path out = dir.resolve("throughput.json");
        java.lang.reflect.Constructor<ThroughputBenchmark> c = ThroughputBenchmark.class.getDeclaredConstructor(Map.class);
        c.setAccessible(true);
        JsonNode r = c.newInstance(Map.of("events", "10000", "rates", "1000", "latency-seconds", "3", "out",
                out.toString(), "image-rates", "50", "image-burst", "300", "scale-out", "2")).run();
        assertTrue(Files.exists(out));
        assertEquals(10000, r.path("kafkaConsumerPerformance").path("events").asInt());
        assertTrue(r.path("reconScorer").path("eventsPerSecond").asLong() > 0);
        assertTrue(r.path("ratioScorerToConsumerPerformance").asDouble() > 0);
        // The unmeasured warm-up of the load generator comes first, recorded apart, every event answered.
        JsonNode warmUp = r.path("reconScorer").path("loadGeneratorWarmUp");
        assertEquals(3000, warmUp.path("events").asInt(), r.path("reconScorer").toString());
        assertEquals(3000, warmUp.path("verdicts").asInt(), "every warm-up event got a verdict");
        JsonNode latency = r.path("reconScorer").path("latency").get(0);
        assertEquals(latency.path("events").asInt(), latency.path("verdicts").asInt(), "every event got a verdict");
        assertTrue(latency.path("p99Ms").asLong() >= latency.path("p50Ms").asLong());
        assertTrue(r.path("computeCeiling").path("plainJavaEventsPerSecondPerCore").asLong() > 0);
        // The same topic with K samples for every event (two-stage off), and the two-stage ceiling.
        assertTrue(r.path("reconScorerFullIwae").path("eventsPerSecond").asLong() > 0, r.toString());
        assertTrue(r.path("reconScorerCompactVerdicts").path("eventsPerSecond").asLong() > 0, r.toString());
        assertTrue(r.path("reconScorerAlertsOnly").path("eventsPerSecond").asLong() > 0, r.toString());
        // Two processes in one group (one process is the compact phase above, measured again in a full run).
        assertEquals(1, r.path("scaleOut").size(), "two scorer processes in one group: " + r);
        assertEquals(2, r.path("scaleOut").get(0).path("processes").asInt(), r.path("scaleOut").toString());
        for (JsonNode so : r.path("scaleOut")) {
            assertTrue(so.path("eventsPerSecond").asLong() > 0, so.toString());
        }
        JsonNode ceiling = r.path("computeCeiling");
        assertTrue(ceiling.path("djlBatch256TwoStageEventsPerSecond").asLong() > 0);
        assertTrue(ceiling.path("twoStageNormalOnlySecondStageShare").asDouble() < 0.05,
                "normal flows rarely need the K samples: " + ceiling);
        assertTrue(ceiling.path("twoStageSecondStageShare").asDouble() > 0.3, "attacks do: " + ceiling);

        JsonNode images = r.path("reconScorer").path("imaging");
        if (images.has("skipped")) {
            System.out.println("ThroughputBenchmarkIT: image phase " + images.path("skipped").asText());
            return;
        }
        assertEquals(300, images.path("backlog").path("verdicts").asInt(), "every image of the backlog got a verdict");
        assertTrue(images.path("backlog").path("imagesPerSecond").asLong() > 0);
        JsonNode imageLatency = images.path("latency").get(0);
        assertEquals(150, imageLatency.path("events").asInt());
        assertEquals(150, imageLatency.path("verdicts").asInt(), "every image got a verdict");
        assertTrue(imageLatency.path("p999Ms").asLong() >= imageLatency.path("p50Ms").asLong());
        // The image path's ceiling in process: decoding, the VAE in batches and one image per call, and both.
        JsonNode imageCeiling = ceiling.path("images");
        assertTrue(imageCeiling.path("decodePerSecondPerCore").asLong() > 0, imageCeiling.toString());
        for (JsonNode threads : List.of(imageCeiling, imageCeiling.path("oneTorchThread"))) {
            assertTrue(threads.path("vaeImagesPerSecond").asLong() > 0, imageCeiling.toString());
            assertTrue(threads.path("vaeBatch1ImagesPerSecond").asLong() > 0, imageCeiling.toString());
            assertTrue(threads.path("decodeAndScoreImagesPerSecond").asLong() > 0, imageCeiling.toString());
        }
    }
}
