package io.recon.scorer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.recon.data.IdxImages;
import io.recon.data.IdxReader;
import io.recon.data.Inv3VolumeReader;
import io.recon.imaging.Volume;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;
import io.recon.testing.PipelineChecks;

/**
 * The image stream end to end on a real broker, with the bundled Trouser model: real
 * Fashion-MNIST test images (never trained or calibrated on) as PNG events into
 * {@code imaging.events}; Bags, Sandals and Sneakers mostly come out as alerts with a heatmap,
 * Trousers mostly do not, every image gets a verdict, broken images land in
 * {@code imaging.events.dlq} with their reason, and the REST side serves the heatmaps and scores
 * one image synchronously by the same code path. CT events (modality {@code CT}) are routed to the
 * bundled head-CT model and decoded through its window.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ImagingPipelineTest {

    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int TROUSER = 1;
    private static final int[] ANOMALOUS = {5, 7, 8}; // Sandal, Sneaker, Bag
    private static final int NORMALS = 150;
    private static final int PER_ANOMALY = 50;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void anomaliesAlertWithHeatmapsNormalsMostlyDoNotAndBrokenImagesAreDeadLettered() throws Exception {
        Path images = DATA.resolve("t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(images) && Files.exists(DATA.resolve("t10k-labels-idx1-ubyte.gz")),
                "Fashion-MNIST IDX files not found in " + DATA + ": install the Debian package dataset-fashion-mnist");
        IdxImages test = IdxReader.readImages(images);
        int[] labels = IdxReader.readLabels(DATA.resolve("t10k-labels-idx1-ubyte.gz"));

        Map<String, String> events = new HashMap<>();
        Set<String> normalIds = new HashSet<>();
        Set<String> anomalyIds = new HashSet<>();
        Map<Integer, Integer> taken = new HashMap<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < test.count(); i++) {
            int label = labels[i];
            boolean normal = label == TROUSER;
            boolean anomaly = Arrays.stream(ANOMALOUS).anyMatch(a -> a == label);
            int limit = normal ? NORMALS : anomaly ? PER_ANOMALY : 0;
            if (taken.getOrDefault(label, 0) >= limit) {
                continue;
            }
            taken.merge(label, 1, Integer::sum);
            String id = "fm-test-" + i + "-class-" + label;
            events.put(id, event(id, now, "png", test.image(i).toPng()));
            (normal ? normalIds : anomalyIds).add(id);
        }

        Map<String, String> broken = new HashMap<>();
        broken.put("corrupt", event("corrupt", now, "png", "plain text, not a PNG".getBytes()));
        byte[] noise = noisePng(64);
        broken.put("truncated", event("truncated", now, "png", Arrays.copyOf(noise, noise.length / 2)));
        broken.put("oversized", event("oversized", now, "png", blankPng(4097))); // over 4096 x 4096 pixels
        broken.put("unsupported", event("unsupported", now, "dicom", resource("/imaging/SC_rgb_jpeg_dcmtk.dcm")));
        broken.put("bad-json", "{\"id\": \"bad-json\", \"ts\": 1");

        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            int k = 0;
            for (Map.Entry<String, String> e : events.entrySet()) {
                kafka.send("imaging.events", e.getKey(), e.getValue());
                if (k++ == events.size() / 2) {
                    // Broken images in the middle: the stream must carry on after them.
                    broken.forEach((id, json) -> kafka.send("imaging.events", id, json));
                }
            }
            PipelineChecks.Outputs outputs = PipelineChecks.readOutputs(kafka, events.keySet(), "imaging.events.dlq",
                    broken.size());
            List<ConsumerRecord<String, String>> dlq = outputs.dlq();
            List<ConsumerRecord<String, String>> alerts = outputs.alerts();

            List<JsonNode> anomalyAlerts = new ArrayList<>();
            // Sandals, Sneakers and Bags should mostly alert, Trousers mostly not.
            PipelineChecks.AlertRates.of(alerts, anomalyIds, normalIds, (key, alert) -> {
                assertAlertFields(key, alert);
                if (anomalyIds.contains(key)) {
                    anomalyAlerts.add(alert);
                }
            }).assertWithin("imaging", 0.9, 0.05);

            Map<String, String> reasons = PipelineChecks.deadLetterReasons(dlq, broken, "imaging.events");
            PipelineChecks.assertReasons(Map.of("corrupt", "corrupt_image", "truncated", "truncated_image",
                    "oversized", "too_large", "unsupported", "unsupported_image", "bad-json", "invalid_json"), reasons);

            // The heatmap of a streamed alert is served as a PNG, the same bytes as in the alert.
            assertFalse(anomalyAlerts.isEmpty(), "at least one anomaly alerted");
            JsonNode example = anomalyAlerts.get(0);
            byte[] served = given().get("/alerts/{id}/heatmap.png", example.get("eventId").asText()).then()
                    .statusCode(200).contentType("image/png").extract().asByteArray();
            assertArrayEquals(Base64.getDecoder().decode(example.get("heatmapPng").asText()), served);
            assertPng(served);
            given().get("/alerts/{id}/heatmap.png", "no-such-alert").then().statusCode(404);
            ObjectNode shown = example.deepCopy();
            shown.put("heatmapPng", example.get("heatmapPng").asText().substring(0, 40) + "...");
            System.out.println("imaging alert example: " + shown);
        }

        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.contains("recon_events_scored_total{model=\"imaging-vae-fashion-1\",stream=\"imaging\"}"),
                "scored images are counted under stream=imaging");
        assertTrue(metrics.contains("recon_events_dead_lettered_total{reason=\"corrupt_image\",stream=\"imaging\"}"));
    }

    @Test
    void restScoresOneImageByTheSamePathAndListsTheModel() throws Exception {
        Path images = DATA.resolve("t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(images),
                "Fashion-MNIST IDX files not found in " + DATA + ": install the Debian package dataset-fashion-mnist");
        IdxImages test = IdxReader.readImages(images);
        int[] labels = IdxReader.readLabels(DATA.resolve("t10k-labels-idx1-ubyte.gz"));
        int bag = 0;
        while (labels[bag] != 8 || !alerts(test, bag)) {
            bag++;
        }
        String body = given().contentType("application/json").body(event("rest-bag", 1795910400000L, "png",
                test.image(bag).toPng())).post("/score/image").then().statusCode(200).extract().asString();
        JsonNode verdict = mapper.readTree(body);
        assertEquals("imaging", verdict.get("stream").asText());
        assertTrue(verdict.get("alert").asBoolean(), body);
        byte[] served = given().get("/alerts/rest-bag/heatmap.png").then().statusCode(200).extract().asByteArray();
        assertPng(served);

        JsonNode error = mapper.readTree(given().contentType("application/json")
                .body(event("rest-bad", 1L, "png", "nope".getBytes())).post("/score/image").then().statusCode(400)
                .extract().asString());
        assertEquals("corrupt_image", error.get("reason").asText());

        JsonNode models = mapper.readTree(given().get("/models").then().statusCode(200).extract().asString());
        boolean listed = false;
        for (JsonNode m : models) {
            if (m.get("name").asText().equals("imaging-vae-fashion-1")) {
                listed = true;
                assertEquals("negative_elbo_excess", m.get("alertScore").asText());
                assertEquals("image-vae", m.get("kind").asText());
            }
        }
        assertTrue(listed, "GET /models lists the image model: " + models);
        given().get("/models/imaging-vae-fashion-1").then().statusCode(200);
    }

    @Test
    void ctEventsGoToTheHeadCtModelThroughItsWindowAndAnotherPatientsCtAlerts() throws Exception {
        Path cranium = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");
        Assumptions.assumeTrue(Files.isRegularFile(cranium), cranium + " not found: install invesalius-examples");
        // Slice 50 is a held-out test slice of the CT model (z % 4 == 2), sent as a CT gateway
        // would: raw int16 Hounsfield units, with a bone window the model must ignore.
        Volume ct = new Inv3VolumeReader().read(cranium);
        float[] hu = ct.sliceValues(50);
        ByteBuffer raw = ByteBuffer.allocate(hu.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : hu) {
            raw.putShort((short) Math.round(v));
        }
        ObjectNode slice = (ObjectNode) mapper.readTree(event("ct-slice-50", 1795910400000L, "raw", raw.array()));
        slice.put("modality", "CT").put("width", ct.nx()).put("height", ct.ny()).put("dtype", "int16");
        slice.putObject("window").put("center", 400).put("width", 1800);
        JsonNode normal = mapper.readTree(given().contentType("application/json").body(slice.toString())
                .post("/score/image").then().statusCode(200).extract().asString());
        assertEquals("imaging-vae-ct", normal.get("model").asText(), normal.toString());
        assertFalse(normal.get("alert").asBoolean(), "a held-out slice of the training subject: " + normal);

        // pydicom's CT_small.dcm: another patient, another part of the body.
        ObjectNode other = (ObjectNode) mapper.readTree(event("ct-other", 1795910400000L, "dicom",
                resource("/imaging/CT_small.dcm")));
        other.put("modality", "CT");
        JsonNode alert = mapper.readTree(given().contentType("application/json").body(other.toString())
                .post("/score/image").then().statusCode(200).extract().asString());
        assertEquals("imaging-vae-ct", alert.get("model").asText());
        assertTrue(alert.get("alert").asBoolean(), alert.toString());
        byte[] heatmap = given().get("/alerts/ct-other/heatmap.png").then().statusCode(200).extract().asByteArray();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(heatmap));
        assertEquals(64, img.getWidth(), "the CT model's input size");
    }

    /** Whether image i scores as an alert (asked of the REST API, so the test does not hard-code it). */
    private boolean alerts(IdxImages test, int i) throws IOException {
        String body = given().contentType("application/json").body(event("probe-" + i, 1L, "png",
                test.image(i).toPng())).post("/score/image").then().statusCode(200).extract().asString();
        return mapper.readTree(body).get("alert").asBoolean();
    }

    private void assertAlertFields(String key, JsonNode a) {
        PipelineChecks.assertCommonAlertFields(key, a);
        assertEquals("imaging", a.path("stream").asText());
        assertPng(Base64.getDecoder().decode(a.path("heatmapPng").asText()));
    }

    private static void assertPng(byte[] png) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertNotNull(img, "a readable PNG");
        assertEquals(28, img.getWidth());
        assertEquals(28, img.getHeight());
    }

    private String event(String id, long ts, String encoding, byte[] data) {
        ObjectNode e = mapper.createObjectNode();
        e.put("id", id);
        e.put("ts", ts);
        e.put("source", "imaging-pipeline-test");
        e.put("modality", "photo");
        e.put("encoding", encoding);
        e.put("data", Base64.getEncoder().encodeToString(data));
        return e.toString();
    }

    private static byte[] noisePng(int side) throws IOException {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(7);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.getRaster().setSample(x, y, 0, r.nextInt(256)); // incompressible
            }
        }
        return png(img);
    }

    private static byte[] blankPng(int side) throws IOException {
        return png(new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY));
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImagingPipelineTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "test resource " + name);
            return in.readAllBytes();
        }
    }
}
