package io.recon.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.LesionSampler;
import io.recon.data.medical.SliceRenderer;
import io.recon.imaging.GrayImage;
import io.recon.imaging.Window;

/**
 * An image alert of the bundled CT model for a held-out slice with a planted lesion (the largest
 * bright one among one pose per test slice), as the scorer writes it, and what its explanation
 * must say: regions, the first one on the lesion, a heatmap, the image explainer's name.
 */
record CtLesionAlert(ObjectNode alert, boolean[] mask) {

    static final Path VOLUME = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");
    private static final int SIDE = 64;

    /** The alert, or null where the CT volume is not installed. */
    static CtLesionAlert largestBrightLesion() {
        if (!Files.isRegularFile(VOLUME)) {
            return null;
        }
        CtSliceDataset data = new CtSliceDataset(new Inv3VolumeReader().read(VOLUME),
                new SliceRenderer(Window.CT_BRAIN, SIDE), 8, 8, 4000);
        CtSliceDataset.Case c = data.testCases(1, LesionSampler.defaults(), new Random(43)).stream()
                .filter(k -> k.lesion() != null && k.lesion().kind().equals("bright"))
                .max(Comparator.comparingDouble(k -> k.lesion().radius())).orElseThrow();
        String png = Base64.getEncoder().encodeToString(new GrayImage(SIDE, SIDE, c.lesioned(), "test").toPng());
        ObjectNode alert = new ObjectMapper().createObjectNode().put("eventId", "ct-lesion")
                .put("source", "explainer-test").put("stream", "imaging").put("model", "imaging-vae-ct")
                .put("modelVersion", "test").put("severity", "high").put("scoredAt", System.currentTimeMillis())
                .put("inputPng", png);
        return new CtLesionAlert(alert, c.mask());
    }

    void assertExplained(JsonNode e) {
        assertTrue(e != null, "an explanation of the CT alert");
        assertEquals("imaging", e.path("stream").asText());
        assertEquals("imaging-ct-explainer", e.at("/explainer/name").asText(), e.toString());
        assertEquals("masked-patch-transformer", e.at("/explainer/kind").asText());
        assertFalse(e.path("heatmapPng").asText().isBlank(), "a heatmap");
        assertTrue(e.path("regions").size() >= 1, e.toString());
        JsonNode first = e.path("regions").get(0);
        int x = (int) Math.round(first.path("x").asDouble());
        int y = (int) Math.round(first.path("y").asDouble());
        boolean near = false;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int px = x + dx;
                int py = y + dy;
                near |= px >= 0 && py >= 0 && px < SIDE && py < SIDE && mask[py * SIDE + px];
            }
        }
        assertTrue(near, "the first region (" + x + ", " + y + ") lies on the planted lesion: " + first);
        assertEquals("bright", first.path("kind").asText(), first.toString());
        assertEquals("HU", first.path("unit").asText());
        assertTrue(first.path("observed").asDouble() > first.path("expected").asDouble(), first.toString());
        assertTrue(e.path("sentence").asText().startsWith("A bright region of "), e.path("sentence").asText());
    }
}
