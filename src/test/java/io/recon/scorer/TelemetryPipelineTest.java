package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;
import io.recon.testing.PipelineChecks;
import io.recon.data.DatasetSplit;

/**
 * The spine end to end on a real broker: real captured flows (held-out normal flows and
 * attack flows the model never trained on) and malformed events go into
 * {@code telemetry.events}; attacks come out as alerts with every documented field, normal
 * flows mostly do not, every event gets a verdict, and bad input lands in the dead-letter topic
 * with its reason, while the consumer keeps going.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TelemetryPipelineTest {

    private static final int PER_CLASS = 250;
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void attacksAlertNormalsMostlyDoNotAndBadInputIsDeadLettered() throws Exception {
        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        FlowEventFactory events = new FlowEventFactory(mapper, flows, "pipeline-test");
        int idCol = flows.columnIndex("id");
        int labelCol = flows.columnIndex("label");
        List<Integer> normals = new ArrayList<>();
        List<Integer> attacks = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            String[] row = flows.rows().get(i);
            boolean normal = "normal".equals(row[labelCol]);
            // Only rows the model never saw: the test split's normals and (all test) attacks.
            if (DatasetSplit.partOf(row[idCol], normal) != DatasetSplit.Part.TEST) {
                continue;
            }
            (normal ? normals : attacks).add(i);
        }
        List<Integer> normalSample = spread(normals, PER_CLASS);
        List<Integer> attackSample = spread(attacks, PER_CLASS);

        Map<String, String> malformed = new HashMap<>();
        malformed.put("bad-json", "{\"id\": \"bad-json\", \"ts\": 1");
        malformed.put("no-features", "{\"id\":\"no-features\",\"ts\":1,\"source\":\"t\"}");
        malformed.put("bad-ts", "{\"id\":\"bad-ts\",\"ts\":\"yesterday\",\"source\":\"t\",\"features\":{\"a\":1}}");
        String valid = events.event(normalSample.get(0), 1, System.currentTimeMillis());
        malformed.put("missing-feature", withFeatures(valid, "missing-feature", null));
        malformed.put("text-in-number", withFeatures(valid, "text-in-number", "lots"));
        // A negative byte count is outside what training saw, not malformed: the bundle did not
        // declare the column a size, so the event is scored (it gets a verdict), not dead-lettered.
        String negativeCount = withFeatures(valid, "negative-count", -5);

        Set<String> expectedIds = new HashSet<>();
        Set<String> attackIds = new HashSet<>();
        Set<String> normalIds = new HashSet<>();
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            long now = System.currentTimeMillis();
            for (int k = 0; k < PER_CLASS; k++) {
                for (int[] pick : new int[][] {{normalSample.get(k), 0}, {attackSample.get(k), 1}}) {
                    String id = events.id(pick[0], 1);
                    kafka.send("telemetry.events", id, events.event(pick[0], 1, now));
                    expectedIds.add(id);
                    (pick[1] == 1 ? attackIds : normalIds).add(id);
                }
                if (k == PER_CLASS / 2) {
                    // Malformed events in the middle: the stream must carry on after them.
                    malformed.forEach((id, json) -> kafka.send("telemetry.events", id, json));
                    kafka.send("telemetry.events", "negative-count", negativeCount);
                    expectedIds.add("negative-count");
                }
            }
            PipelineChecks.Outputs outputs = PipelineChecks.readOutputs(kafka, expectedIds, "telemetry.events.dlq",
                    malformed.size());
            List<ConsumerRecord<String, String>> dlq = outputs.dlq();
            List<ConsumerRecord<String, String>> alerts = outputs.alerts();

            PipelineChecks.AlertRates.of(alerts, attackIds, normalIds, this::assertAlertFields)
                    .assertWithin("telemetry", 0.85, 0.05);

            Map<String, String> reasons = PipelineChecks.deadLetterReasons(dlq, malformed, "telemetry.events");
            PipelineChecks.assertReasons(Map.of("bad-json", "invalid_json", "no-features", "missing_field", "bad-ts",
                    "bad_field", "missing-feature", "missing_feature", "text-in-number", "bad_feature"), reasons);
        }
        assertDashboardMetricsExist();
    }

    /**
     * Every Recon, JVM and Kafka-client series that the Grafana dashboard and alert rules are
     * written against (tests/deploy/metrics-contract.yml) is exposed by the running service.
     */
    private static void assertDashboardMetricsExist() throws Exception {
        Set<String> names = PipelineChecks.metricsContractSeries();
        names.remove("up"); // added by Prometheus, not the service
        names.remove("http_server_requests_seconds_count"); // appears once the API has served a request
        names.removeIf(n -> n.startsWith("recon_explanation")); // the explainer role's, not run here
        String exposed = io.restassured.RestAssured.get("/q/metrics").asString();
        List<String> missing = names.stream().filter(n -> !exposed.contains("\n" + n + "{")).toList();
        assertTrue(names.size() > 10, "the contract lists the dashboard's series");
        assertEquals(List.of(), missing, "series the dashboard uses but the service does not expose");
    }

    private void assertAlertFields(String key, JsonNode a) {
        PipelineChecks.assertCommonAlertFields(key, a);
        assertTrue(a.path("topContributions").size() > 0, "an alert says which features made it");
        assertFalse(a.path("topContributions").get(0).path("feature").asText().isEmpty());
        for (JsonNode c : a.path("topContributions")) {
            JsonNode deviation = c.path("deviation");
            if (c.path("observed").isNumber()) {
                // The reconstruction term of a numeric feature is half its squared deviation.
                assertTrue(deviation.isNumber(), "numeric features say how far off they are: " + c);
                assertEquals(Math.sqrt(2 * c.path("nats").asDouble()), Math.abs(deviation.asDouble()), 0.06,
                        c.toString());
            } else {
                assertTrue(deviation.isNull() || deviation.isMissingNode(), "categories have no deviation: " + c);
            }
        }
    }

    private static List<Integer> spread(List<Integer> rows, int n) {
        if (rows.size() < n) {
            throw new IllegalStateException("need " + n + " rows, the data set has " + rows.size());
        }
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(rows.get((int) ((long) k * rows.size() / n)));
        }
        return out;
    }

    /** A valid event with its first numeric feature removed, or made negative (counts must be >= 0). */
    /** A valid event with its first byte count removed ({@code replacement} null) or replaced. */
    private String withFeatures(String validJson, String id, Object replacement) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode event =
                (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(validJson);
        event.put("id", id);
        com.fasterxml.jackson.databind.node.ObjectNode features =
                (com.fasterxml.jackson.databind.node.ObjectNode) event.get("features");
        String firstNumeric = null;
        for (java.util.Iterator<String> it = features.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (features.get(name).isNumber() && firstNumeric == null && name.endsWith("bytes")) {
                firstNumeric = name;
            }
        }
        if (replacement == null) {
            features.remove(firstNumeric);
        } else if (replacement instanceof Integer number) {
            features.put(firstNumeric, number);
        } else {
            features.put(firstNumeric, replacement.toString());
        }
        return mapper.writeValueAsString(event);
    }
}
