package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.imaging.GrayImage;
import io.recon.event.ImageEvent;
import io.recon.bundle.ImageModelManifest;
import io.recon.testing.BundledImageScorers;

/** Routing between the two bundled image models by the envelope's modality. */
@Tag("plain-djl")
class ImageModelRouterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ImageScorer fashion;
    private static ImageScorer ct;

    @BeforeAll
    static void load() {
        fashion = BundledImageScorers.load("imaging-vae-fashion-1");
        ct = BundledImageScorers.load("imaging-vae-ct");
    }

    @AfterAll
    static void close() {
        fashion.bundle().close();
        ct.bundle().close();
    }



    private static byte[] event(String id, String modality) {
        ObjectNode e = MAPPER.createObjectNode().put("id", id).put("ts", 1L).put("source", "test")
                .put("encoding", "png").put("data", java.util.Base64.getEncoder().encodeToString(
                        GrayImage.fromPixels(28, 28, new float[28 * 28], "").toPng()));
        if (modality != null) {
            e.put("modality", modality);
        }
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventsGoToTheModelOfTheirModalityAndTheRestToTheModelWithoutOne() {
        ImageModelRouter router = new ImageModelRouter(List.of(fashion, ct));
        List<byte[]> batch = List.of(event("a", "CT"), event("b", "photo"), "{".getBytes(StandardCharsets.UTF_8),
                event("c", "ct"), event("d", null));
        List<ImageModelRouter.Assignment> assigned = router.assign(batch);
        assertEquals(ct, assigned.get(0).scorer());
        assertEquals(fashion, assigned.get(1).scorer());
        assertEquals("invalid_json", assigned.get(2).rejection().reason());
        assertNull(assigned.get(2).scorer());
        assertEquals(ct, assigned.get(3).scorer(), "modality matches case-insensitively");
        assertEquals(fashion, assigned.get(4).scorer(), "no modality: the model that names none");

        // Each model scores its own events in one call; outcomes come back in batch order.
        List<String> calls = new ArrayList<>();
        List<Outcome> outcomes = ImageModelRouter.score(assigned, (scorer, events) -> {
            calls.add(scorer.bundle().manifest().name() + ":" + events.stream().map(ImageEvent::id).toList());
            return scorer.scoreEvents(events);
        });
        assertEquals(List.of("imaging-vae-ct:[a, c]", "imaging-vae-fashion-1:[b, d]"), calls);
        assertEquals("a", outcomes.get(0).verdict().eventId());
        assertEquals("imaging-vae-ct", outcomes.get(0).verdict().model());
        assertEquals("imaging-vae-fashion-1", outcomes.get(1).verdict().model());
        assertTrue(outcomes.get(2).isRejected());
        assertEquals("d", outcomes.get(4).verdict().eventId());
    }

    @Test
    void withoutAModelForTheModalityTheEventIsRejectedWithTheReason() {
        ImageModelRouter ctOnly = new ImageModelRouter(List.of(ct));
        ImageModelRouter.Assignment a = ctOnly.assign(List.of(event("x", "MR"))).get(0);
        assertEquals("unsupported_modality", a.rejection().reason());
        assertTrue(a.rejection().getMessage().contains("CT (imaging-vae-ct)"), a.rejection().getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageModelRouter(List.of(ct, ct)));
    }

    @Test
    void aBatchIsDecodedSideBySideInOrderAndEachImageArrivesAtItsModelsSize() {
        ImageModelRouter router = new ImageModelRouter(List.of(fashion, ct));
        java.util.Random random = new java.util.Random(7);
        List<byte[]> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            float[] pixels = new float[300 * 200];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = random.nextFloat();
            }
            ObjectNode e = MAPPER.createObjectNode().put("id", "big-" + i).put("ts", 1L).put("source", "test")
                    .put("encoding", "png").put("data", java.util.Base64.getEncoder().encodeToString(
                            GrayImage.fromPixels(300, 200, pixels, "").toPng()));
            if (i % 2 == 1) {
                e.put("modality", "CT");
            }
            batch.add(i == 5 ? "not json".getBytes(StandardCharsets.UTF_8) : e.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<ImageModelRouter.Assignment> assigned = router.assign(batch);
        assertEquals(batch.size(), assigned.size());
        for (int i = 0; i < batch.size(); i++) {
            ImageModelRouter.Assignment a = assigned.get(i);
            if (i == 5) {
                assertEquals("invalid_json", a.rejection().reason(), "a rejection keeps its place");
                continue;
            }
            ImageScorer expected = i % 2 == 1 ? ct : fashion;
            assertEquals(expected, a.scorer());
            assertEquals("big-" + i, a.event().id(), "the batch's order is kept");
            ImageModelManifest m = expected.bundle().manifest();
            assertEquals(m.width(), a.event().image().width());
            assertEquals(m.height(), a.event().image().height());
            float[] oneByOne = expected.decoder().decode(batch.get(i)).image().pixels();
            org.junit.jupiter.api.Assertions.assertArrayEquals(oneByOne, a.event().image().pixels(),
                    "the same pixels as decoding alone");
        }
    }
}
