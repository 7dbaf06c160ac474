package io.recon.synthetic;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.imaging.GrayImage;
import io.recon.imaging.codec.PngImageDecoder;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;
import io.restassured.http.ContentType;

/**
 * The {@code gan} and {@code diffusion} roles with their bundled models, through a real broker:
 * an admin request comes out on {@code synthetic.telemetry} as marked synthetic flow events that
 * fit the schema, the same seed gives the same rows, and requests without a key, for unknown
 * classes or modalities, or beyond the limits are refused with a reason. Tagged {@code own-profile}
 * (see {@code ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(SyntheticRolesTest.GeneratorRoles.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class SyntheticRolesTest {

    private static final String ADMIN_KEY = "test-admin-key-0123456789";
    private static final String TOPIC = "synthetic.telemetry";
    private static final String IMAGING_TOPIC = "synthetic.imaging";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Only the generator roles, a budget of six requests a minute, and slots for them all at once. */
    public static class GeneratorRoles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.roles", "gan,diffusion", "recon.synthetic.max-requests-per-minute", "6",
                    "recon.synthetic.max-active-requests", "8");
        }
    }

    @Test
    void requestsBecomeMarkedSyntheticEventsAndTheLimitsHold() throws Exception {
        // Refusals first: none of them uses the minute's budget.
        given().contentType(ContentType.JSON).body("{\"count\": 5, \"class\": \"curl-small\"}")
                .post("/synthetic/ctgan/requests").then().statusCode(401);
        List<String> classes = given().auth().oauth2(ADMIN_KEY).get("/synthetic").then().statusCode(200)
                .extract().jsonPath().getList("find { it.name == 'tabddpm' }.classes");
        String cls = classes.get(0);
        admin("{\"count\": 5, \"class\": \"no-such-class\"}", "ctgan").then().statusCode(400)
                .body("reason", equalTo("unknown_class")).body("message", containsString(cls));
        admin("{\"count\": 5, \"class\": \"" + cls + "\", \"modality\": \"imaging\"}", "tabddpm").then()
                .statusCode(400).body("reason", equalTo("modality_not_served"));
        admin("{\"count\": 1000000, \"class\": \"" + cls + "\"}", "ctgan").then().statusCode(400)
                .body("reason", equalTo("count_out_of_range"));
        admin("{\"count\": 5, \"class\": \"" + cls + "\"}", "no-such-generator").then().statusCode(404)
                .body("reason", equalTo("generator_not_running"));
        admin("{\"count\": 5, \"class\": ", "ctgan").then().statusCode(400).body("reason", equalTo("body_malformed"));
        admin("{\"count\": \"many\", \"class\": \"" + cls + "\"}", "ctgan").then().statusCode(400)
                .body("reason", equalTo("body_malformed")).body("message", containsString("count"));
        admin("{\"count\": 5, \"modality\": \"telemetry\"}", "dcgan").then().statusCode(400)
                .body("reason", equalTo("modality_not_served")).body("message", containsString("ctgan"));

        // Four accepted requests: one per generator, and the diffusion model's again with its seed.
        String gan = accepted(admin("{\"count\": 20, \"class\": \"" + cls + "\", \"rate\": 500, \"seed\": 3}",
                "ctgan"));
        String first = accepted(admin("{\"count\": 20, \"class\": \"" + cls + "\", \"rate\": 500, \"seed\": 9}",
                "tabddpm"));
        String again = accepted(admin("{\"count\": 20, \"class\": \"" + cls + "\", \"rate\": 500, \"seed\": 9}",
                "tabddpm"));
        String other = accepted(admin("{\"count\": 20, \"class\": \"" + cls + "\", \"rate\": 500, \"seed\": 10}",
                "tabddpm"));
        // Two image requests: the class and modality follow from the image generator when not given.
        String ct = accepted(admin("{\"count\": 6, \"rate\": 100, \"seed\": 4}", "dcgan"));
        String fashion = accepted(admin("{\"count\": 4, \"modality\": \"imaging\", \"class\": \"Trouser\", "
                + "\"rate\": 100}", "ddpm"));
        admin("{\"count\": 5, \"class\": \"" + cls + "\"}", "ctgan").then().statusCode(429)
                .header("Retry-After", notNullValue()).body("reason", equalTo("too_many_requests"));

        List<ConsumerRecord<String, String>> read;
        try (KafkaTestClient kafka = new KafkaTestClient(ConfigProvider.getConfig()
                .getValue("kafka.bootstrap.servers", String.class))) {
            read = kafka.readUntil(TOPIC, r -> r.size() >= 80, Duration.ofSeconds(60));
        }
        assertEquals(80, read.size(), "events on " + TOPIC);
        JsonNode schema = MAPPER.readTree(java.nio.file.Path.of("models/telemetry-ctgan/manifest.json").toFile())
                .get("schema");
        for (ConsumerRecord<String, String> record : read) {
            JsonNode event = MAPPER.readTree(record.value());
            assertEquals(record.key(), event.get("id").asText());
            assertTrue(event.get("synthetic").asBoolean(), record.value());
            assertEquals(cls, event.get("class").asText());
            assertTrue(event.at("/generator/version").asText().length() > 0, record.value());
            assertFits(schema, event.get("features"), record.value());
        }
        assertEquals("ctgan", generatorOf(read, gan));
        assertEquals("tabddpm", generatorOf(read, first));
        assertEquals(features(read, first), features(read, again), "the same seed gives the same rows");
        assertTrue(!features(read, first).equals(features(read, other)), "another seed gives other rows");
        assertImages(ct, "dcgan", 6, 64, "CT", "head-ct-brain-slice");
        assertImages(fashion, "ddpm", 4, 28, "OT", "Trouser");
        given().auth().oauth2(ADMIN_KEY).get("/synthetic/tabddpm/requests/" + first).then().statusCode(200)
                .body("state", equalTo("DONE")).body("published", equalTo(20)).body("seed", equalTo(9))
                .body("class", equalTo(cls));
    }

    /** A request's events on synthetic.imaging: marked, of the generator's class, PNGs of its side in [0, 1]. */
    private static void assertImages(String request, String generator, int count, int side, String modality,
            String cls) throws Exception {
        List<ConsumerRecord<String, String>> read;
        try (KafkaTestClient kafka = new KafkaTestClient(ConfigProvider.getConfig()
                .getValue("kafka.bootstrap.servers", String.class))) {
            read = kafka.readUntil(IMAGING_TOPIC, r -> r.stream().filter(e -> e.key().contains(request)).count() >= count,
                    Duration.ofSeconds(60));
        }
        List<ConsumerRecord<String, String>> ofRequest = read.stream().filter(e -> e.key().contains(request)).toList();
        assertEquals(count, ofRequest.size(), "events of " + request + " on " + IMAGING_TOPIC);
        for (ConsumerRecord<String, String> record : ofRequest) {
            JsonNode event = MAPPER.readTree(record.value());
            assertTrue(event.get("synthetic").asBoolean());
            assertEquals(generator, event.at("/generator/name").asText());
            assertEquals(cls, event.get("class").asText());
            assertEquals(modality, event.get("modality").asText());
            assertEquals("png", event.get("encoding").asText());
            GrayImage image = new PngImageDecoder().decode(Base64.getDecoder().decode(event.get("data").asText()));
            assertEquals(side, image.width());
            assertEquals(side, image.height());
        }
        given().auth().oauth2(ADMIN_KEY).get("/synthetic/" + generator + "/requests/" + request).then()
                .statusCode(200).body("state", equalTo("DONE")).body("topic", equalTo(IMAGING_TOPIC));
    }

    private static io.restassured.response.Response admin(String body, String generator) {
        return given().auth().oauth2(ADMIN_KEY).contentType(ContentType.JSON).body(body)
                .post("/synthetic/" + generator + "/requests");
    }

    private static String accepted(io.restassured.response.Response response) {
        response.then().statusCode(202).header("Location", containsString("/requests/"))
                .body("state", equalTo("RUNNING"));
        return response.jsonPath().getString("id");
    }

    private static String generatorOf(List<ConsumerRecord<String, String>> read, String request) throws Exception {
        for (ConsumerRecord<String, String> r : read) {
            JsonNode event = MAPPER.readTree(r.value());
            if (event.get("request").asText().equals(request)) {
                return event.at("/generator/name").asText();
            }
        }
        throw new AssertionError("no event of request " + request);
    }

    /** The feature objects of a request's events, in order. */
    private static List<JsonNode> features(List<ConsumerRecord<String, String>> read, String request) {
        return read.stream().map(r -> {
            try {
                return MAPPER.readTree(r.value());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(e -> e.get("request").asText().equals(request))
                .sorted(java.util.Comparator.comparingInt(e -> Integer.parseInt(e.get("id").asText()
                        .substring(e.get("id").asText().lastIndexOf('-') + 1))))
                .map(e -> e.get("features")).toList();
    }

    /** Every feature of the schema present: numbers finite and in the training range, categories seen. */
    private static void assertFits(JsonNode schema, JsonNode features, String event) {
        assertEquals(schema.size(), features.size(), event);
        for (JsonNode column : schema) {
            JsonNode value = features.get(column.get("name").asText());
            if ("numeric".equals(column.get("type").asText())) {
                assertTrue(value.isNumber() && Double.isFinite(value.asDouble()), event);
                assertTrue(value.asDouble() >= column.get("min").asDouble()
                        && value.asDouble() <= column.get("max").asDouble(), column + " in " + event);
            } else {
                List<String> seen = MAPPER.convertValue(column.get("categories"), List.class);
                assertTrue(seen.contains(value.asText()), column.get("name") + "=" + value + " in " + event);
            }
        }
    }
}
