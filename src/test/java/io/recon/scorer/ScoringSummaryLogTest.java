package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;

/**
 * The running scorer logs its summary line on its own, with figures read from the live registry:
 * events sent through a real broker show up as telemetry events per second, a malformed one as a
 * dead letter, and the scorer's Kafka consumers' lag gauge is there to read. Tagged
 * {@code own-profile}: its two-second interval needs a test profile (see {@code ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(ScoringSummaryLogTest.EveryTwoSeconds.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ScoringSummaryLogTest {

    private static final Pattern LINE = Pattern.compile("SUMMARY ([0-9.]+)s telemetry ([0-9.]+) ev/s, "
            + "(?:imaging [0-9.]+ ev/s, )?alerts (\\d+), dead letters (\\d+), lag (\\d+|n/a)");
    private static final int EVENTS = 40;

    /** A summary every two seconds. */
    public static class EveryTwoSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.summary.interval", "2s");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void theLineCountsWhatTheScorerConsumed() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("recon.summary");
        logger.addHandler(capture);
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            awaitEveryTelemetryConsumerAssigned();
            Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
            FlowEventFactory events = new FlowEventFactory(new ObjectMapper(), flows, "summary-test");
            long now = System.currentTimeMillis();
            for (int i = 0; i < EVENTS; i++) {
                kafka.send("telemetry.events", events.id(i, 1), events.event(i, 1, now));
            }
            kafka.send("telemetry.events", "summary-bad-json", "{\"id\": \"summary-bad-json\", \"ts\": 1");

            // Wait for lines that together account for every event and the dead letter.
            long deadline = System.nanoTime() + 60_000_000_000L;
            double received = 0;
            int deadLetters = 0;
            boolean lagRead = false;
            while (System.nanoTime() < deadline && (received < EVENTS + 0.5 || deadLetters < 1 || !lagRead)) {
                Thread.sleep(500);
                received = 0;
                deadLetters = 0;
                lagRead = false;
                for (String line : lines) {
                    Matcher m = LINE.matcher(line);
                    assertTrue(m.matches(), "a summary line of the documented shape: " + line);
                    received += Double.parseDouble(m.group(1)) * Double.parseDouble(m.group(2));
                    deadLetters += Integer.parseInt(m.group(4));
                    lagRead |= !"n/a".equals(m.group(5));
                }
            }
            System.out.println("summary lines:\n  " + String.join("\n  ", lines));
            for (Gauge g : registry.find(ScoringSummary.LAG).gauges()) {
                System.out.println("lag gauge " + g.getId() + " = " + g.value());
            }
            // Rates are printed to three figures over whole seconds: the sum is near the count, not exact.
            assertEquals(EVENTS + 1, received, 2.5, "events received over the lines:\n" + lines);
            assertEquals(1, deadLetters, lines.toString());
            assertTrue(lagRead, "a line with the consumers' lag:\n" + lines);
            assertTrue(registry.find(ScoringSummary.LAG).gauges().stream()
                    .anyMatch(g -> String.valueOf(g.getId().getTag("client.id")).contains("telemetry-events")),
                    "the telemetry consumer's lag gauge, as the Grafana panel reads it");
        } finally {
            logger.removeHandler(capture);
        }
    }

    /**
     * Waits until each of the scorer's telemetry consumers owns a partition. Events sent while the
     * second consumer is still joining are read again after the rebalance (at-least-once: their offsets
     * were not yet committed), and a line would rightly count them twice (62.8 received for 41 sent
     * in one run).
     */
    private void awaitEveryTelemetryConsumerAssigned() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Double> assigned = List.of();
        while (System.nanoTime() < deadline) {
            assigned = registry.find("kafka.consumer.coordinator.assigned.partitions").gauges().stream()
                    .filter(g -> String.valueOf(g.getId().getTag("client.id")).contains("telemetry-events"))
                    .map(Gauge::value).toList();
            if (assigned.size() == 2 && assigned.stream().allMatch(v -> v >= 1)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the two telemetry consumers never both owned a partition: " + assigned);
    }
}
