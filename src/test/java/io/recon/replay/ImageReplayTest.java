package io.recon.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.event.Verdict;
import io.recon.scorer.ImageModelRouter;
import io.recon.scorer.ImageScorer;
import io.recon.testing.BundledImageScorers;
import io.recon.scorer.Outcome;

/**
 * The replay role's image events from the committed sample ({@code tests/data/imaging/replay}):
 * their envelope, that the service's own decoder reads every one, that the router sends the CT
 * slices to the head-CT model and the PNGs to the Fashion-MNIST model, and what the two bundled
 * models make of them: other-class garments and lesioned CT slices alert, most Trousers do not.
 * Tagged {@code plain-djl} (DJL outside Quarkus: a JVM of its own).
 */
@Tag("plain-djl")
class ImageReplayTest {

    static final Path SAMPLE = Path.of("tests/data/imaging/replay");
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


    @Test
    void theSampleLoadsInAFixedOrderWithTheCtSlicesSpreadAmongThePngs() {
        List<ImageReplay.Sample> samples = ImageReplay.load(SAMPLE, 42);
        assertEquals(32, samples.size());
        assertEquals(samples.stream().map(ImageReplay.Sample::name).toList(),
                ImageReplay.load(SAMPLE, 42).stream().map(ImageReplay.Sample::name).toList(), "same seed, same order");
        long dicom = samples.stream().filter(s -> s.encoding().equals("dicom")).count();
        assertEquals(8, dicom);
        for (int i = 0; i < samples.size(); i++) {
            ImageReplay.Sample s = samples.get(i);
            assertEquals(s.encoding().equals("dicom") ? "CT" : ImageReplay.PNG_MODALITY, s.modality(), s.name());
            if (i > 0 && s.encoding().equals("dicom")) {
                assertEquals("png", samples.get(i - 1).encoding(), "no two CT slices in a row: " + s.name());
            }
        }
        assertEquals("dicom", samples.get(1).encoding(), "a CT slice comes second");
        assertTrue(ImageReplay.load(Path.of("no/such/folder"), 42).isEmpty());
    }

    @Test
    void everyEventDecodesRoutesToItsModelAndTheAnomaliesAlert() throws Exception {
        ImageReplay replay = new ImageReplay(MAPPER, ImageReplay.load(SAMPLE, 42), "replay:replay");
        ImageModelRouter router = new ImageModelRouter(List.of(fashion, ct));
        List<ImageModelRouter.Assignment> assigned = new ArrayList<>();
        for (int i = 0; i < replay.size(); i++) {
            String json = replay.event(i, 2, 1_795_910_400_000L);
            JsonNode e = MAPPER.readTree(json);
            assertEquals(replay.id(i, 2), e.get("id").asText());
            assertTrue(e.get("id").asText().startsWith("img-") && e.get("id").asText().endsWith("#2"));
            assertEquals("replay:replay", e.get("source").asText());
            assertEquals(1_795_910_400_000L, e.get("ts").asLong());
            ImageModelRouter.Assignment a = router.assign(List.of(json.getBytes(StandardCharsets.UTF_8))).get(0);
            String name = replay.samples().get(i).name();
            assertNull(a.rejection(), () -> name + ": " + a.rejection());
            boolean isCt = name.startsWith("ct-");
            assertEquals(isCt ? ct : fashion, a.scorer(), name);
            assertEquals(isCt ? 64 : 28, a.event().image().width());
            assigned.add(a);
        }
        List<Outcome> outcomes = ImageModelRouter.score(assigned, (scorer, events) -> scorer.scoreEvents(events));
        Map<String, Integer> alerts = new HashMap<>();
        Map<String, Integer> totals = new HashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            String name = replay.samples().get(i).name();
            String group = group(name);
            Verdict v = outcomes.get(i).verdict();
            System.out.printf("%-45s %-24s %-8s %s %.4g > %.4g (p%.2f)%n", name, v.model(), group,
                    v.alert() ? "ALERT" : "normal", v.score(), v.threshold(), v.percentile());
            totals.merge(group, 1, Integer::sum);
            alerts.merge(group, v.alert() ? 1 : 0, Integer::sum);
        }
        System.out.println("alerts per group: " + alerts + " of " + totals);
        assertEquals(Map.of("trouser", 6, "garment", 18, "ct-clean", 3, "ct-lesion", 5), totals);
        assertTrue(alerts.get("garment") >= 13, "other classes mostly alert (15 of 18 when written): " + alerts);
        assertTrue(alerts.get("trouser") <= 1, "Trousers, the model's class, mostly do not: " + alerts);
        assertTrue(alerts.get("ct-lesion") >= 4, "lesioned CT slices alert (5 of 5 when written): " + alerts);
    }

    /** trouser, garment (another class), ct-clean or ct-lesion, from the file name. */
    static String group(String name) {
        if (name.startsWith("ct-")) {
            return name.contains("-lesion-") ? "ct-lesion" : "ct-clean";
        }
        return name.contains("-class-1-") ? "trouser" : "garment";
    }
}
