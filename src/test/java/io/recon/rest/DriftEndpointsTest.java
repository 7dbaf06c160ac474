package io.recon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.data.DatasetSplit;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.ModelsCopy;
import io.recon.testing.KafkaTestClient;
import io.restassured.http.ContentType;

/**
 * Drift and recalibration through the running service and a real broker: held-out normal flows go
 * into {@code telemetry.events}; the drift endpoint and the {@code recon_drift_*} metrics show the
 * window filling; recalibrate needs an admin key, refuses a window too small, then sets a new threshold
 * that the next verdict carries and the manifest on disk records; undo puts the old one back. The
 * service reads a copy of {@code models/}. Tagged {@code own-profile} (see {@code ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(DriftEndpointsTest.Profile.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class DriftEndpointsTest {

    private static final String ADMIN_KEY = "test-admin-key-0123456789";
    private static final String MODEL = "telemetry-vae";
    private static final int MIN_EVENTS = 300;
    private static final Path MODELS = ModelsCopy.create();
    private final ObjectMapper mapper = new ObjectMapper();

    /** The copied models, a window the test can fill quickly, every event scored in full. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.models.dir", MODELS.toString(), "recon.drift.min-events", "" + MIN_EVENTS,
                    "recon.drift.window-size", "1000", "recon.drift.exact-every", "1");
        }
    }

    private static io.restassured.response.ValidatableResponse admin(String path) {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).when().post(path).then();
    }

    private static JsonNode drift() {
        return given().get("/models/" + MODEL + "/drift").then().statusCode(200).extract().as(JsonNode.class);
    }

    @Test
    void driftFillsRecalibrateSetsANewThresholdAndUndoRestoresIt() throws Exception {
        JsonNode empty = drift();
        for (String field : new String[] {"model", "version", "windowEvents", "windowSize", "psi", "ks",
            "psiAlertLevel", "ksAlertLevel", "drifting", "threshold"}) {
            assertTrue(empty.has(field), "drift has " + field + ": " + empty);
        }
        assertEquals(0, empty.get("windowEvents").asInt());
        assertEquals(1000, empty.get("windowSize").asInt());
        double original = empty.get("threshold").asDouble();

        given().when().post("/models/" + MODEL + "/recalibrate").then().statusCode(401);
        given().when().post("/models/" + MODEL + "/recalibrate/undo").then().statusCode(401);
        admin("/models/" + MODEL + "/recalibrate").statusCode(409).body("reason", equalTo("too_few_events"))
                .body("message", containsString("needs at least " + MIN_EVENTS));
        admin("/models/" + MODEL + "/recalibrate/undo").statusCode(409).body("reason", equalTo("nothing_to_undo"));
        admin("/models/no-such-model/recalibrate").statusCode(404);

        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        FlowEventFactory events = new FlowEventFactory(mapper, flows, "drift-endpoints-test");
        List<Integer> normals = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            String[] row = flows.rows().get(i);
            if ("normal".equals(row[flows.columnIndex("label")])
                    && DatasetSplit.partOf(row[flows.columnIndex("id")], true) == DatasetSplit.Part.TEST) {
                normals.add(i);
            }
        }
        Collections.shuffle(normals, new Random(11));
        int sent = 400;
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            long now = System.currentTimeMillis();
            for (int k = 0; k < sent; k++) {
                kafka.send("telemetry.events", events.id(normals.get(k), 1), events.event(normals.get(k), 1, now));
            }
        }
        JsonNode filled = drift();
        for (long deadline = System.currentTimeMillis() + 60_000; filled.get("recentEvents").asInt() < sent
                && System.currentTimeMillis() < deadline; filled = drift()) {
            Thread.sleep(200);
        }
        assertEquals(sent, filled.get("recentEvents").asInt(), "every event's score reached the window: " + filled);
        assertTrue(filled.get("windowEvents").asInt() >= MIN_EVENTS, filled.toString());
        assertTrue(filled.get("psi").asDouble() < 0.2 && !filled.get("drifting").asBoolean(),
                "held-out normals of the training capture do not drift: " + filled);
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("recon_drift_psi{model=\"telemetry-vae\"}"), "PSI gauge");
        assertTrue(metrics.contains("recon_drift_ks_alert_level{model=\"telemetry-vae\"}"), "KS level gauge");
        assertTrue(metrics.contains("recon_drift_window_events{model=\"telemetry-vae\"} " + filled.get("windowEvents")
                .asInt()), "window gauge");
        // The consumer lag the dashboard, the lag rule and the summary log read.
        assertTrue(metrics.contains("kafka_consumer_fetch_manager_records_lag_max{"), "consumer lag is exported");

        JsonNode recalibrated = admin("/models/" + MODEL + "/recalibrate").statusCode(200).extract()
                .as(JsonNode.class);
        double fresh = recalibrated.get("threshold").asDouble();
        assertEquals(original, recalibrated.get("previousThreshold").asDouble(), 1e-9);
        assertEquals(sent, recalibrated.get("events").asInt());
        assertNotEquals(original, fresh);
        // Served at once: the manifest, the drift report and a verdict carry the new threshold.
        given().get("/models/" + MODEL).then().statusCode(200).body("calibration.threshold",
                equalTo((float) fresh));
        assertEquals(fresh, drift().get("threshold").asDouble(), 1e-9);
        String event = events.event(normals.get(0), 1, System.currentTimeMillis());
        assertEquals(fresh, given().contentType(ContentType.JSON).body(event).post("/score/telemetry").then()
                .statusCode(200).extract().jsonPath().getDouble("threshold"), 1e-4);
        JsonNode onDisk = mapper.readTree(MODELS.resolve(MODEL).resolve("manifest.json").toFile());
        JsonNode entry = onDisk.get("thresholdHistory").get(0);
        assertEquals(original, entry.get("old").asDouble(), 1e-9);
        assertEquals(fresh, entry.get("new").asDouble(), 1e-9);
        assertEquals(sent, entry.get("events").asInt());
        // It loads from disk as a restart would.
        admin("/models/" + MODEL + "/reload").statusCode(200).body("threshold", equalTo((float) fresh));

        admin("/models/" + MODEL + "/recalibrate/undo").statusCode(200)
                .body("threshold", equalTo((float) original)).body("previousThreshold", equalTo((float) fresh));
        assertEquals(original, drift().get("threshold").asDouble(), 1e-9);
        admin("/models/" + MODEL + "/reload").statusCode(200).body("threshold", equalTo((float) original));
        admin("/models/" + MODEL + "/recalibrate/undo").statusCode(409).body("reason", equalTo("nothing_to_undo"));
    }
}
