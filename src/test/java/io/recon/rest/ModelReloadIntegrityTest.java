package io.recon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.ModelsCopy;
import io.restassured.http.ContentType;

/**
 * A damaged bundle is refused at reload with a reason, and the version that was serving keeps
 * serving. The service reads a copy of {@code models/} that the test damages. Tagged
 * {@code own-profile} (see {@link ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(ModelReloadIntegrityTest.CopiedModels.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ModelReloadIntegrityTest {

    private static final String ADMIN_KEY = "test-admin-key-0123456789";
    private static final Path MODELS = ModelsCopy.create();

    /** The service's models folder is the copy. */
    public static class CopiedModels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.models.dir", MODELS.toString());
        }
    }

    private static String version(String model) {
        return given().when().get("/models/" + model).then().statusCode(200).extract().path("version");
    }

    private static float score() {
        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        String event = new FlowEventFactory(new ObjectMapper(), flows, "integrity-test").event(0, 1, 1_795_910_400_000L);
        return given().contentType(ContentType.JSON).body(event).post("/score/telemetry").then().statusCode(200)
                .extract().path("score");
    }

    private static io.restassured.response.ValidatableResponse reload(String model) {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).when().post("/models/" + model + "/reload")
                .then();
    }

    @Test
    void aDamagedBundleIsRefusedAndTheLoadedOneKeepsServing() throws IOException {
        String version = version("telemetry-vae");
        float before = score();
        Path params = MODELS.resolve("telemetry-vae/vae-0000.params");
        byte[] good = Files.readAllBytes(params);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(params, bad);

        reload("telemetry-vae").statusCode(409).body("reason", equalTo("bundle_refused"))
                .body("message", containsString("vae-0000.params does not match its manifest"))
                .body("message", containsString("keeps serving"));
        // The model in memory was never touched.
        org.junit.jupiter.api.Assertions.assertEquals(before, score());
        org.junit.jupiter.api.Assertions.assertEquals(version, version("telemetry-vae"));

        // A truncated image bundle is refused the same way; every image model keeps serving.
        Path ct = MODELS.resolve("imaging-vae-ct/vae-0000.params");
        byte[] ctGood = Files.readAllBytes(ct);
        Files.write(ct, java.util.Arrays.copyOf(ctGood, ctGood.length / 2));
        reload("imaging-vae-fashion-1").statusCode(409).body("reason", equalTo("bundle_refused"))
                .body("message", containsString("imaging-vae-ct refused"));
        given().when().get("/models").then().statusCode(200).body("name",
                org.hamcrest.Matchers.hasItems("telemetry-vae", "imaging-vae-fashion-1", "imaging-vae-ct"));

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("recon_model_reloads_total{model=\"telemetry-vae\",outcome=\"refused\"}"));

        // Repaired, both reload.
        Files.write(params, good);
        Files.write(ct, ctGood);
        reload("telemetry-vae").statusCode(200).body("name", equalTo("telemetry-vae"));
        reload("imaging-vae-ct").statusCode(200).body("name", equalTo("imaging-vae-ct"));
        org.junit.jupiter.api.Assertions.assertEquals(before, score());
    }
}
