package io.recon.rest;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.testing.KafkaBrokerResource;

/**
 * With {@code recon.security.read-policy=key-holders}, reading needs a read or admin key; a read key
 * cannot reload. Tagged {@code own-profile}: a test profile starts Quarkus in a new class loader,
 * and libtorch loads in one class loader per JVM, so the classes with profiles of their own run
 * together, apart from the default tests, with DJL loaded parent-first (pom.xml).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(ReadPolicyTest.KeyHoldersOnly.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ReadPolicyTest {

    private static final String READ_KEY = "test-read-key-0123456789";
    private static final String ADMIN_KEY = "test-admin-key-0123456789";

    /** Reads restricted to key holders, one read key. */
    public static class KeyHoldersOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.security.read-policy", "key-holders", "recon.security.read-api-keys", READ_KEY,
                    "recon.roles", "scorer,console");
        }
    }

    @Test
    void readsNeedAKeyAndAReadKeyCannotChangeAnything() {
        given().when().get("/models").then().statusCode(401);
        given().header("Authorization", "Bearer " + READ_KEY).when().get("/models").then().statusCode(200);
        given().header("Authorization", "Bearer " + ADMIN_KEY).when().get("/models").then().statusCode(200);
        given().header("Authorization", "Bearer " + READ_KEY).when().post("/models/telemetry-vae/reload")
                .then().statusCode(403);
        // The console's data and live stream are reads too; its static page holds no data and stays open.
        for (String path : new String[] { "/console/api/alerts", "/console/api/alerts/x", "/console/api/rates",
                "/console/api/dead-letters", "/console/api/updates" }) {
            given().when().get(path).then().statusCode(401);
        }
        given().header("Authorization", "Bearer " + READ_KEY).when().get("/console/api/alerts").then()
                .statusCode(200);
        given().when().get("/console/").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
