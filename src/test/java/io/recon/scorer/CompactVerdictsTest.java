package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;
import io.recon.testing.PipelineChecks;

/**
 * {@code recon.scoring.verdicts=compact} through a real broker: every recorded flow sent gets a
 * compact verdict on {@code recon.verdicts} (id, event time, model, version, alert flag, score; a normal flow's
 * score is its two-stage bound, so marked), and every alert still goes to {@code recon.alerts} in
 * full. Tagged {@code own-profile} (see {@code ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(CompactVerdictsTest.Compact.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class CompactVerdictsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int PER_CLASS = 20;

    /** The scorer writing compact verdicts. */
    public static class Compact implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // two stages for every batch, however small, so that normal flows carry bounds
            return Map.of("recon.roles", "scorer", "recon.scoring.verdicts", "compact",
                    "recon.scoring.two-stage-min-batch", "1");
        }
    }

    @Test
    void everyEventGetsACompactVerdictAndAlertsStayFull() throws Exception {
        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        FlowEventFactory events = new FlowEventFactory(MAPPER, flows, "compact-test");
        int label = flows.columnIndex("label");
        Set<String> normals = new HashSet<>();
        Set<String> attacks = new HashSet<>();
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < flows.size() && (normals.size() < PER_CLASS || attacks.size() < PER_CLASS); i += 13) {
                boolean normal = "normal".equals(flows.rows().get(i)[label]);
                Set<String> into = normal ? normals : attacks;
                if (into.size() < PER_CLASS) {
                    String id = events.id(i, 1);
                    kafka.send("telemetry.events", id, events.event(i, 1, now));
                    into.add(id);
                }
            }
            Set<String> all = new HashSet<>(normals);
            all.addAll(attacks);
            Map<String, JsonNode> verdicts = new HashMap<>();
            for (ConsumerRecord<String, String> r : kafka.readUntil("recon.verdicts",
                    read -> read.stream().map(ConsumerRecord::key).toList().containsAll(all), Duration.ofSeconds(90))) {
                verdicts.put(r.key(), PipelineChecks.json(r.value()));
            }
            assertTrue(verdicts.keySet().containsAll(all), "a verdict for every event");
            int bounded = 0;
            for (String id : all) {
                JsonNode v = verdicts.get(id);
                assertEquals(id, v.path("eventId").asText());
                assertEquals(now, v.path("eventTs").asLong());
                assertEquals("telemetry-vae", v.path("model").asText());
                assertEquals("iwae", v.path("alertScore").asText());
                assertTrue(v.path("score").isNumber() && v.path("alert").isBoolean(), v.toString());
                assertTrue(v.path("scores").isMissingNode() && v.path("threshold").isMissingNode()
                        && v.path("topContributions").isMissingNode(), "compact: " + v);
                bounded += v.path("bound").asBoolean() ? 1 : 0;
                if (v.path("bound").asBoolean()) {
                    assertTrue(!v.path("alert").asBoolean(), "a bounded event cannot alert: " + v);
                }
            }
            assertTrue(bounded >= PER_CLASS / 2, "most normal flows are settled in stage one: " + bounded);
            List<ConsumerRecord<String, String>> alerts = kafka.readUntil("recon.alerts",
                    read -> read.size() >= PER_CLASS / 2, Duration.ofSeconds(30));
            Set<String> alerted = new HashSet<>();
            for (ConsumerRecord<String, String> a : alerts) {
                JsonNode alert = PipelineChecks.json(a.value());
                PipelineChecks.assertCommonAlertFields(a.key(), alert);
                assertTrue(verdicts.get(a.key()).path("alert").asBoolean(), "its compact verdict says alert");
                alerted.add(a.key());
            }
            long attacksAlerted = attacks.stream().filter(alerted::contains).count();
            assertTrue(attacksAlerted >= PER_CLASS * 0.8, attacksAlerted + " of " + PER_CLASS + " attacks alerted");
        }
    }
}
