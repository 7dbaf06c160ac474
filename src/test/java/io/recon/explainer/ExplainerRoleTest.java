package io.recon.explainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.data.DatasetSplit;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.imaging.GrayImage;
import io.recon.kafka.Topics;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;
import io.recon.testing.PipelineChecks;

/**
 * The {@code explainer} role with the bundled explainer, through a real broker: recorded attack flows
 * are scored, their alerts come back explained on {@code recon.explanations} (keyed by event id, with
 * causes, observed and expected values, a sentence and the explainer's version) and from
 * {@code GET /alerts/{id}/explanation}; an alert with a planted cause is explained by that cause; a
 * malformed alert, one of a model without an explainer and one missing a feature go to
 * {@code recon.alerts.dlq} with their reasons. Tagged {@code own-profile} (see {@code ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(ExplainerRoleTest.ScorerAndExplainer.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ExplainerRoleTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ATTACKS = 12;

    /** The scorer and the explainer in one process. */
    public static class ScorerAndExplainer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.roles", "scorer,explainer");
        }
    }

    @Test
    void alertsComeBackExplainedAndBadAlertsAreDeadLettered() throws Exception {
        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        FlowEventFactory events = new FlowEventFactory(MAPPER, flows, "explainer-test");
        List<Integer> attacks = new ArrayList<>();
        int normal = -1;
        for (int i = 0; i < flows.size(); i++) {
            String[] row = flows.rows().get(i);
            boolean isNormal = "normal".equals(row[flows.columnIndex("label")]);
            if (DatasetSplit.partOf(row[flows.columnIndex("id")], isNormal) != DatasetSplit.Part.TEST) {
                continue;
            }
            if (!isNormal && attacks.size() < ATTACKS && i % 7 == 0) {
                attacks.add(i);
            } else if (isNormal && normal < 0 && "http".equals(row[flows.columnIndex("service")])) {
                normal = i;
            }
        }
        assertEquals(ATTACKS, attacks.size());
        // A held-out normal http flow whose only oddity is an urgent flag: urg_count is 0 in every
        // training flow, so the cause is known.
        ObjectNode planted = alertOf(events.event(normal, 1, System.currentTimeMillis()), "planted-urg");
        ((ObjectNode) planted.get("features")).put("urg_count", 1);
        ObjectNode imageAlert = MAPPER.createObjectNode().put("eventId", "image-alert").put("stream", "imaging")
                .put("model", "imaging-vae-without-explainer");
        ObjectNode badImage = MAPPER.createObjectNode().put("eventId", "bad-image-alert").put("stream", "imaging")
                .put("model", "imaging-vae-ct").put("inputPng", "not an image");
        ObjectNode notPng = MAPPER.createObjectNode().put("eventId", "not-png-alert").put("stream", "imaging")
                .put("model", "imaging-vae-ct").put("inputPng", Base64.getEncoder().encodeToString(
                        "GIF89a but not really".getBytes(StandardCharsets.UTF_8)));
        ObjectNode wrongSize = MAPPER.createObjectNode().put("eventId", "wrong-size-alert").put("stream", "imaging")
                .put("model", "imaging-vae-ct").put("inputPng", Base64.getEncoder().encodeToString(
                        new GrayImage(65, 64, new float[65 * 64], "too wide").toPng()));
        CtLesionAlert ct = CtLesionAlert.largestBrightLesion();
        FashionPasteAlert garment = FashionPasteAlert.whiteSquareOnATrouser();
        ObjectNode missing = alertOf(events.event(normal, 1, System.currentTimeMillis()), "missing-feature-alert");
        ((ObjectNode) missing.get("features")).remove("src_bytes");

        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            Set<String> attackIds = new HashSet<>();
            for (int i : attacks) {
                kafka.send("telemetry.events", events.id(i, 1), events.event(i, 1, System.currentTimeMillis()));
                attackIds.add(events.id(i, 1));
            }
            kafka.send("recon.alerts", "planted-urg", planted.toString());
            kafka.send("recon.alerts", "broken-alert", "{\"eventId\": \"broken-alert\", ");
            kafka.send("recon.alerts", "image-alert", imageAlert.toString());
            kafka.send("recon.alerts", "missing-feature-alert", missing.toString());
            kafka.send("recon.alerts", "bad-image-alert", badImage.toString());
            kafka.send("recon.alerts", "not-png-alert", notPng.toString());
            kafka.send("recon.alerts", "wrong-size-alert", wrongSize.toString());
            if (ct != null) {
                kafka.send("recon.alerts", "ct-lesion", ct.alert().toString());
            }
            if (garment != null) {
                kafka.send("recon.alerts", "fashion-paste", garment.alert().toString());
            }

            List<ConsumerRecord<String, String>> alerts = kafka.readUntil("recon.alerts",
                    r -> r.stream().filter(a -> attackIds.contains(a.key())).count() >= ATTACKS - 2,
                    Duration.ofSeconds(60));
            Set<String> alerted = new HashSet<>();
            alerts.stream().map(ConsumerRecord::key).filter(attackIds::contains).forEach(alerted::add);
            assertTrue(alerted.size() >= ATTACKS - 2, "recorded attacks alert: " + alerted.size());
            Set<String> wanted = new HashSet<>(alerted);
            wanted.add("planted-urg");
            Set<String> awaited = new HashSet<>(wanted);
            if (ct != null) {
                awaited.add("ct-lesion");
            }
            if (garment != null) {
                awaited.add("fashion-paste");
            }
            List<ConsumerRecord<String, String>> explanations = kafka.readUntil("recon.explanations",
                    r -> keys(r).containsAll(awaited), Duration.ofSeconds(60));
            Map<String, JsonNode> byId = new HashMap<>();
            explanations.forEach(r -> byId.put(r.key(), PipelineChecks.json(r.value())));
            for (String id : wanted) {
                assertExplanationFields(id, byId.get(id));
            }

            JsonNode urg = byId.get("planted-urg");
            JsonNode first = urg.path("causes").get(0);
            assertEquals("urg_count", first.path("feature").asText(), "the planted cause comes first: " + urg);
            assertEquals(1, first.path("observed").asInt());
            assertEquals(0, first.path("expected").asInt(), urg.toString());
            assertTrue(urg.path("sentence").asText().contains("urg_count 1, where 0 is normal"), urg.toString());

            if (ct != null) {
                ct.assertExplained(byId.get("ct-lesion"));
            } else {
                System.out.println("skipping the CT image alert: " + CtLesionAlert.VOLUME
                        + " not found (Debian invesalius-examples)");
            }
            if (garment != null) {
                garment.assertExplained(byId.get("fashion-paste"));
            } else {
                System.out.println("skipping the Fashion-MNIST image alert: " + FashionPasteAlert.DATA
                        + " not found (Debian dataset-fashion-mnist)");
            }

            List<ConsumerRecord<String, String>> dlq = kafka.readUntil("recon.alerts.dlq", r -> r.size() >= 6,
                    Duration.ofSeconds(30));
            Map<String, String> reasons = new HashMap<>();
            dlq.forEach(r -> reasons.put(r.key(), KafkaTestClient.header(r, Topics.HEADER_REASON_CODE)));
            assertEquals(Map.of("broken-alert", "alert_malformed", "image-alert", "no_explainer",
                    "missing-feature-alert", "missing_feature", "bad-image-alert", "bad_image", "not-png-alert",
                    "bad_image", "wrong-size-alert", "bad_image"), reasons);
            for (ConsumerRecord<String, String> r : dlq) {
                assertFalse(KafkaTestClient.header(r, Topics.HEADER_REASON).isBlank());
                assertEquals("recon.alerts", KafkaTestClient.header(r, Topics.HEADER_TOPIC));
            }
            assertTrue(dlq.stream().anyMatch(r -> r.key().equals("broken-alert")
                    && r.value().equals("{\"eventId\": \"broken-alert\", ")), "the original bytes are kept");
        }

        given().get("/alerts/planted-urg/explanation").then().statusCode(200)
                .body("eventId", equalTo("planted-urg")).body("causes[0].feature", equalTo("urg_count"))
                .body("explainer.name", equalTo("telemetry-explainer"));
        given().get("/alerts/no-such-alert/explanation").then().statusCode(404)
                .body("reason", equalTo("no_recent_explanation")).body("message", containsString("no-such-alert"));
        // What an analyst waits, per explained alert, with the 50 ms objective as a bucket of its own.
        String metrics = given().get("/q/metrics").asString();
        double latencies = metrics.lines().filter(l -> l.startsWith("recon_explanation_latency_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertTrue(latencies >= 3, "alert-to-explanation latencies recorded: " + latencies);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("recon_explanation_latency_seconds_bucket{le=\"0.05\"")),
                "a bucket at the 50 ms objective");
        // The explainer's series that the dashboard and alert rules are written against are exposed.
        List<String> notExposed = PipelineChecks.metricsContractSeries().stream()
                .filter(name -> name.startsWith("recon_explanation"))
                .filter(name -> metrics.lines().noneMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")))
                .toList();
        assertEquals(List.of(), notExposed, "explainer series in tests/deploy/metrics-contract.yml not exposed");
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'recon-explainer' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'recon-explainer' }.data.'reading alerts'", equalTo(true));
        // Ready once its warm-up on synthetic alerts is done (recon.explainer.warm-up-alerts).
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'recon-explainer-warm' }.status", equalTo("UP"));
    }

    /** An alert as the scorer writes it for this event (only the fields the explainer reads). */
    private static ObjectNode alertOf(String eventJson, String id) throws Exception {
        JsonNode event = MAPPER.readTree(eventJson);
        ObjectNode alert = MAPPER.createObjectNode().put("eventId", id).put("source", "explainer-test")
                .put("stream", "telemetry").put("model", "telemetry-vae").put("modelVersion", "test")
                .put("severity", "high").put("scoredAt", System.currentTimeMillis());
        alert.set("features", event.get("features").deepCopy());
        return alert;
    }

    private static void assertExplanationFields(String id, JsonNode e) {
        assertTrue(e != null, "an explanation for " + id);
        assertEquals(id, e.path("eventId").asText());
        assertEquals("telemetry-vae", e.path("alertModel").asText());
        assertFalse(e.path("sentence").asText().isBlank(), e.toString());
        assertEquals("telemetry-explainer", e.at("/explainer/name").asText());
        assertFalse(e.at("/explainer/version").asText().isBlank());
        assertEquals(AlertExplainer.METHOD, e.at("/explainer/method").asText(), "the scoring VAE is loaded");
        assertTrue(e.path("causes").size() > 0, e.toString());
        assertTrue(e.at("/causes/0/contribution").asDouble() > 0,
                "repairing the first cause lowers the alert score (nats): " + e);
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode c : e.path("causes")) {
            assertFalse(c.path("feature").asText().isBlank());
            assertFalse(c.path("observed").isMissingNode(), c.toString());
            assertFalse(c.path("expected").isMissingNode(), c.toString());
            if (c.path("observed").isNumber()) {
                JsonNode range = c.path("expectedRange");
                assertEquals(2, range.size(), c.toString());
                assertTrue(range.get(0).asDouble() <= c.path("expected").asDouble()
                        && c.path("expected").asDouble() <= range.get(1).asDouble(), c.toString());
            } else {
                assertTrue(c.path("expectedShare").asDouble() > 0, c.toString());
            }
            double share = c.path("vaeShare").asDouble(-1);
            assertTrue(share >= 0 && share <= 1, "the VAE's share of the feature: " + c);
            assertTrue(Double.isFinite(c.path("contribution").asDouble()), c.toString());
            assertTrue(c.path("contribution").asDouble() <= previous, "causes come largest first: " + e);
            previous = c.path("contribution").asDouble();
        }
    }

    private static Set<String> keys(List<ConsumerRecord<String, String>> records) {
        Set<String> keys = new HashSet<>();
        records.forEach(r -> keys.add(r.key()));
        return keys;
    }
}
