package io.recon.replay;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;
import io.recon.testing.PipelineChecks;

/**
 * The replay role's image side through a real broker, in one process with the scorer and the
 * explainer as in the embedded default: the committed sample goes into {@code imaging.events}
 * (here one image every 100 ms, one pass), every image gets a verdict and none is dead-lettered;
 * the lesioned CT slices and the other-class garments come out on {@code recon.alerts} with a
 * heatmap (also served at {@code GET /alerts/{id}/heatmap.png}), Trousers mostly do not, and every
 * CT alert comes back explained by the image explainer on {@code recon.explanations}. Tagged
 * {@code own-profile} (see {@code ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(ImageReplayPipelineTest.ReplayWithImages.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ImageReplayPipelineTest {

    /** Scorer, replay and explainer; flows at a trickle, images fast, one pass. */
    public static class ReplayWithImages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recon.roles", "scorer,replay,explainer", "recon.replay.rate", "1",
                    "recon.replay.image-interval", "100ms", "recon.replay.loop", "false");
        }
    }

    @Test
    void lesionedCtSlicesAndOtherGarmentsAlertWithHeatmapsAndAreExplained() {
        List<ImageReplay.Sample> samples = ImageReplay.load(ImageReplayTest.SAMPLE, 42);
        Map<String, String> groupOf = new HashMap<>();
        samples.forEach(s -> groupOf.put("img-" + s.name(), ImageReplayTest.group(s.name())));
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            PipelineChecks.Outputs out = PipelineChecks.readOutputs(kafka, groupOf.keySet(), "imaging.events.dlq", 0);
            assertTrue(out.dlq().stream().noneMatch(r -> groupOf.containsKey(r.key())), "no image dead-lettered");
            Map<String, JsonNode> alerts = new HashMap<>();
            for (ConsumerRecord<String, String> r : out.alerts()) {
                if (groupOf.containsKey(r.key())) {
                    alerts.put(r.key(), PipelineChecks.json(r.value()));
                }
            }
            Map<String, Integer> counts = new HashMap<>();
            Set<String> explainable = new HashSet<>();
            for (Map.Entry<String, JsonNode> e : alerts.entrySet()) {
                String group = groupOf.get(e.getKey());
                JsonNode a = e.getValue();
                PipelineChecks.assertCommonAlertFields(e.getKey(), a);
                assertEquals("imaging", a.path("stream").asText());
                assertEquals("replay:imaging/replay", a.path("source").asText());
                assertEquals(group.startsWith("ct-") ? "imaging-vae-ct" : "imaging-vae-fashion-1",
                        a.path("model").asText(), e.getKey());
                assertFalse(a.path("heatmapPng").asText().isBlank(), "a heatmap for " + e.getKey());
                counts.merge(group, 1, Integer::sum);
                explainable.add(e.getKey());
            }
            System.out.println("image alerts per group: " + counts);
            assertTrue(counts.getOrDefault("ct-lesion", 0) >= 4, "lesioned CT slices alert (of 5): " + counts);
            assertTrue(counts.getOrDefault("garment", 0) >= 13, "other garments alert (of 18): " + counts);
            assertTrue(counts.getOrDefault("trouser", 0) <= 1, "Trousers mostly do not (of 6): " + counts);

            List<ConsumerRecord<String, String>> explanations = kafka.readUntil("recon.explanations",
                    r -> r.stream().map(ConsumerRecord::key).toList().containsAll(explainable), Duration.ofSeconds(60));
            Map<String, JsonNode> explained = new HashMap<>();
            explanations.forEach(r -> explained.put(r.key(), PipelineChecks.json(r.value())));
            for (String id : explainable) {
                JsonNode x = explained.get(id);
                assertTrue(x != null, "an explanation of " + id);
                assertEquals(groupOf.get(id).startsWith("ct-") ? "imaging-ct-explainer" : "imaging-fashion-1-explainer",
                        x.at("/explainer/name").asText(), x.toString());
                assertFalse(x.path("sentence").asText().isBlank(), x.toString());
                assertFalse(x.path("heatmapPng").asText().isBlank(), x.toString());
                System.out.println("WHY " + id + ": " + x.path("sentence").asText());
            }

            String ct = explainable.stream().filter(id -> groupOf.get(id).equals("ct-lesion")).findFirst().orElseThrow();
            String garment = alerts.keySet().stream().filter(id -> groupOf.get(id).equals("garment")).findFirst()
                    .orElseThrow();
            for (String id : List.of(ct, garment)) {
                byte[] served = given().get("/alerts/{id}/heatmap.png", id).then().statusCode(200)
                        .contentType("image/png").extract().asByteArray();
                assertArrayEquals(Base64.getDecoder().decode(alerts.get(id).get("heatmapPng").asText()), served);
            }
            given().get("/alerts/{id}/explanation", ct).then().statusCode(200);
            given().get("/alerts/{id}/explanation", garment).then().statusCode(200);
        }
    }
}
