package io.recon.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.data.FashionMnistClass;
import io.recon.imaging.GrayImage;

/**
 * An image alert of the bundled Fashion-MNIST model for the first Trouser of the test set with a
 * white 6x6 square pasted onto its background, as the scorer writes it, and what its explanation
 * must say: the first region on the square, bright, on the model's 0..1 scale.
 */
record FashionPasteAlert(ObjectNode alert, boolean[] mask) {

    static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int SIDE = 28;
    private static final int SQUARE = 6;

    /** The alert, or null where Fashion-MNIST is not installed. */
    static FashionPasteAlert whiteSquareOnATrouser() {
        if (!Files.isRegularFile(DATA.resolve(FashionMnistClass.TEST_IMAGES))) {
            return null;
        }
        List<float[]> trousers = FashionMnistClass.imagesWhere(DATA.resolve(FashionMnistClass.TEST_IMAGES),
                DATA.resolve(FashionMnistClass.TEST_LABELS), l -> l == 1);
        float[] image = trousers.get(0).clone();
        int[] at = darkestSquare(image);
        boolean[] mask = new boolean[image.length];
        for (int y = at[1]; y < at[1] + SQUARE; y++) {
            for (int x = at[0]; x < at[0] + SQUARE; x++) {
                image[y * SIDE + x] = 1f;
                mask[y * SIDE + x] = true;
            }
        }
        String png = Base64.getEncoder().encodeToString(new GrayImage(SIDE, SIDE, image, "test").toPng());
        ObjectNode alert = new ObjectMapper().createObjectNode().put("eventId", "fashion-paste")
                .put("source", "explainer-test").put("stream", "imaging").put("model", "imaging-vae-fashion-1")
                .put("modelVersion", "test").put("severity", "high").put("scoredAt", System.currentTimeMillis())
                .put("inputPng", png);
        return new FashionPasteAlert(alert, mask);
    }

    /** The top-left corner of the square, two pixels in from the border, whose pixels sum lowest. */
    private static int[] darkestSquare(float[] image) {
        int[] best = null;
        double lowest = Double.MAX_VALUE;
        for (int y = 2; y + SQUARE <= SIDE - 2; y++) {
            for (int x = 2; x + SQUARE <= SIDE - 2; x++) {
                double sum = 0;
                for (int dy = 0; dy < SQUARE; dy++) {
                    for (int dx = 0; dx < SQUARE; dx++) {
                        sum += image[(y + dy) * SIDE + x + dx];
                    }
                }
                if (sum < lowest) {
                    lowest = sum;
                    best = new int[] {x, y};
                }
            }
        }
        return best;
    }

    void assertExplained(JsonNode e) {
        assertTrue(e != null, "an explanation of the Fashion-MNIST alert");
        assertEquals("imaging-fashion-1-explainer", e.at("/explainer/name").asText(), e.toString());
        assertEquals("geometric mean of the VAE heatmap and the masked-patch transformer's standardised residual",
                e.at("/explainer/method").asText());
        assertFalse(e.path("heatmapPng").asText().isBlank(), "a heatmap");
        JsonNode first = e.path("regions").get(0);
        assertTrue(first != null, e.toString());
        int x = (int) Math.round(first.path("x").asDouble());
        int y = (int) Math.round(first.path("y").asDouble());
        assertTrue(mask[y * SIDE + x], "the first region (" + x + ", " + y + ") lies on the pasted square: " + first);
        assertEquals("bright", first.path("kind").asText(), first.toString());
        assertEquals("model scale", first.path("unit").asText());
        assertTrue(e.path("sentence").asText().startsWith("A bright region of "), e.path("sentence").asText());
        assertTrue(e.path("sentence").asText().contains("expected from the image around it"),
                e.path("sentence").asText());
    }
}
