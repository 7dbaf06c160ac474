package io.recon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.restassured.http.ContentType;

/** The HTTP surface: synchronous scoring, models, health and metrics. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ScoreResourceTest {

    /** The admin key of the test profile (application.properties, %test). */
    private static final String ADMIN_KEY = "test-admin-key-0123456789";

    static String normalEvent;
    static String attackEvent;

    @BeforeAll
    static void pickRealFlows() {
        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        FlowEventFactory events = new FlowEventFactory(new ObjectMapper(), flows, "rest-test");
        int label = flows.columnIndex("label");
        int generator = flows.columnIndex("generator");
        for (int i = 0; i < flows.size() && (normalEvent == null || attackEvent == null); i++) {
            String[] row = flows.rows().get(i);
            if (normalEvent == null && row[label].equals("normal")) {
                normalEvent = events.event(i, 1, 1_795_910_400_000L);
            }
            if (attackEvent == null && row[generator].equals("hping3-syn-flood")) {
                attackEvent = events.event(i, 1, 1_795_910_400_000L);
            }
        }
    }

    @Test
    void scoresOneEvent() {
        given().contentType(ContentType.JSON).body(attackEvent)
                .when().post("/score/telemetry")
                .then().statusCode(200)
                .body("model", equalTo("telemetry-vae"))
                .body("scores.iwae", notNullValue())
                .body("alert", equalTo(true))
                .body("topContributions.size()", greaterThan(0));
    }

    @Test
    void scoresABatchAndExplainsBadEntries() {
        String batch = "[" + normalEvent + ", {\"id\":\"x\"}, " + attackEvent + "]";
        given().contentType(ContentType.JSON).body(batch)
                .when().post("/score/telemetry")
                .then().statusCode(200)
                .body("size()", equalTo(3))
                .body("[1].index", equalTo(1))
                .body("[1].error.reason", equalTo("missing_field"))
                .body("[2].alert", equalTo(true))
                // two-stage scoring: the normal flow is settled by one latent sample, its verdict
                // says so and carries the bound, not a K-sample -ELBO; the alert has every score
                .body("[0].alert", equalTo(false))
                .body("[0].scores.bound", equalTo(true))
                .body("[0].scores.negativeElbo", org.hamcrest.Matchers.nullValue())
                .body("[0].scores.iwae", notNullValue())
                .body("[2].scores.bound", org.hamcrest.Matchers.nullValue())
                .body("[2].scores.negativeElbo", notNullValue());
    }

    @Test
    void rejectsABadEventWithTheReason() {
        given().contentType(ContentType.JSON).body("{\"id\":\"x\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":1}}")
                .when().post("/score/telemetry")
                .then().statusCode(400)
                .body("reason", equalTo("missing_feature"))
                .body("message", containsString("expects"));
    }

    @Test
    void listsModelsWithTheirThreshold() {
        given().when().get("/models")
                .then().statusCode(200)
                .body("name", hasItem("telemetry-vae"))
                .body("[0].threshold", notNullValue())
                .body("[0].thresholdCalibration", containsString("held-out normal"));
        given().when().get("/models/telemetry-vae").then().statusCode(200).body("inputSchema.features.size()",
                greaterThan(5));
        given().when().get("/models/nope").then().statusCode(404);
    }

    @Test
    void reloadsTheBundleWithoutARestartAndScoresTheSame() {
        float before = given().contentType(ContentType.JSON).body(attackEvent).post("/score/telemetry")
                .then().statusCode(200).extract().path("score");
        given().header("Authorization", "Bearer " + ADMIN_KEY).when().post("/models/telemetry-vae/reload")
                .then().statusCode(200).body("name", equalTo("telemetry-vae")).body("version", notNullValue());
        given().contentType(ContentType.JSON).body(attackEvent).post("/score/telemetry")
                .then().statusCode(200).body("score", equalTo(before));
        given().header("Authorization", "Bearer " + ADMIN_KEY).when().post("/models/nope/reload")
                .then().statusCode(404);
    }

    @Test
    void theApiRejectsWhatTheStreamRejectsWithTheSameReasons() {
        given().contentType(ContentType.JSON).body("{\"id\": \"x\",,}").post("/score/telemetry")
                .then().statusCode(400).body("reason", equalTo("invalid_json"))
                .body("message", containsString("line 1"));
        String tooLarge = attackEvent.substring(0, attackEvent.length() - 1) + ",\"padding\":\"" + "p".repeat(70_000)
                + "\"}";
        given().contentType(ContentType.JSON).body(tooLarge).post("/score/telemetry")
                .then().statusCode(400).body("reason", equalTo("too_large"));
        given().contentType(ContentType.JSON).body("[" + "{},".repeat(1000) + "{}]").post("/score/telemetry")
                .then().statusCode(413).body("reason", equalTo("too_many_events"));
        given().contentType(ContentType.JSON).body("{\"id\":\"deep\",\"x\":" + "[".repeat(5000) + "]".repeat(5000)
                + "}").post("/score/image").then().statusCode(400).body("reason", equalTo("too_complex"));
    }

    @Test
    void adminActionsNeedAnAdminKeyAndReadsDoNot() {
        given().when().post("/models/telemetry-vae/reload")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer not-the-admin-key-at-all").when().post("/models/telemetry-vae/reload")
                .then().statusCode(401);
        given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("admin:" + ADMIN_KEY).getBytes())).when().post("/models/telemetry-vae/reload").then().statusCode(401);
        // What a web page can send cross-origin without a preflight: a "simple" text/plain POST.
        given().header("Origin", "https://evil.example").contentType("text/plain").body("x")
                .when().post("/models/telemetry-vae/reload")
                .then().statusCode(401).header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        // CORS stays closed: a preflight for the Authorization header is not granted.
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization")
                .when().options("/models/telemetry-vae/reload")
                .then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
        given().when().get("/models").then().statusCode(200);
    }

    @Test
    void readyAndMetered() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("recon-models"));
        given().contentType(ContentType.JSON).body(normalEvent).post("/score/telemetry").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("recon_events_received_total"))
                .body(containsString("recon_events_scored_total"))
                .body(containsString("recon_scoring_seconds_bucket"))
                .body(containsString("recon_model_info"));
    }
}
