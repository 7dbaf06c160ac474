package io.recon.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.calibration.ThresholdCalibration;

/**
 * Recalibration and undo on a copy of the committed telemetry bundle: after each, the manifest's
 * digests verify as they do at load, the manifest still reads, every field it had is kept, and the
 * history says what changed.
 */
class CalibrationHistoryTest {

    private static final Path BUNDLE = Path.of("models/telemetry-vae");
    private final ObjectMapper mapper = new ObjectMapper();
    private final CalibrationHistory history = new CalibrationHistory(mapper);

    @TempDir
    Path dir;

    private ModelManifest copy() throws IOException {
        for (String f : new String[] {"manifest.json", "calibration.json", "vae-0000.params"}) {
            Files.copy(BUNDLE.resolve(f), dir.resolve(f));
        }
        return manifest();
    }

    private ModelManifest manifest() throws IOException {
        ModelManifest m = mapper.readValue(dir.resolve(ModelManifest.FILE).toFile(), ModelManifest.class);
        LoadedBundle.verifyFiles(dir, m.files(), m.calibration());
        return m;
    }

    private static ThresholdCalibration recent(int n) {
        Random random = new Random(5);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = 70 + 5 * random.nextGaussian();
        }
        return ThresholdCalibration.fromNormals(scores, 0.01);
    }

    @Test
    void recalibrateThenUndoRestoresTheBundleAsItLoaded() throws IOException {
        ModelManifest before = copy();
        JsonNode beforeTree = mapper.readTree(dir.resolve("manifest.json").toFile());
        ThresholdCalibration fresh = recent(2000);
        Instant at = Instant.parse("2026-12-04T06:00:00Z");

        CalibrationHistory.Change change = history.recalibrate(dir, fresh, "iwae above recent", at);
        ModelManifest after = manifest();
        assertEquals(before.calibration().threshold(), change.oldThreshold());
        assertEquals(fresh.threshold(), after.calibration().threshold());
        assertEquals(2000, after.calibration().rows());
        assertEquals("calibration-20261204T060000Z.json", after.calibration().quantilesFile());
        assertEquals(before.files().get("vae-0000.params"), after.files().get("vae-0000.params"), "params untouched");
        double[] written = mapper.convertValue(mapper.readTree(dir.resolve(after.calibration().quantilesFile())
                .toFile()).get("quantiles"), double[].class);
        assertEquals(fresh.quantiles()[500], written[500], 1e-6);
        JsonNode tree = mapper.readTree(dir.resolve("manifest.json").toFile());
        assertEquals(beforeTree.get("metrics"), tree.get("metrics"), "fields kept");
        JsonNode entry = tree.get(CalibrationHistory.FIELD).get(0);
        assertEquals("recalibrate", entry.get("how").asText());
        assertEquals(before.calibration().threshold(), entry.get("old").asDouble());
        assertEquals(fresh.threshold(), entry.get("new").asDouble());
        assertEquals(2000, entry.get("events").asInt());
        assertEquals(at.toString(), entry.get("at").asText());

        CalibrationHistory.Change undone = history.undo(dir, at.plusSeconds(60)).orElseThrow();
        ModelManifest restored = manifest();
        assertEquals(before.calibration(), restored.calibration());
        assertEquals(before.files(), restored.files());
        assertEquals(fresh.threshold(), undone.oldThreshold());
        JsonNode h = mapper.readTree(dir.resolve("manifest.json").toFile()).get(CalibrationHistory.FIELD);
        assertEquals(2, h.size());
        assertEquals("undo", h.get(1).get("how").asText());
        assertTrue(h.get(0).has("undoneAt"));
        assertTrue(history.undo(dir, at.plusSeconds(120)).isEmpty(), "nothing left to undo");
    }

    @Test
    void twoRecalibrationsUndoOneAtATime() throws IOException {
        ModelManifest before = copy();
        Instant at = Instant.parse("2026-12-04T06:00:00Z");
        history.recalibrate(dir, recent(1000), "first", at);
        double first = manifest().calibration().threshold();
        history.recalibrate(dir, recent(3000), "second", at); // same second: a file name of its own
        assertEquals("calibration-20261204T060000Z-2.json", manifest().calibration().quantilesFile());
        history.undo(dir, at);
        assertEquals(first, manifest().calibration().threshold());
        history.undo(dir, at);
        assertEquals(before.calibration(), manifest().calibration());
    }

    @Test
    void aQuantilesFileChangedSinceIsRefusedAfterUndo() throws IOException {
        copy();
        history.recalibrate(dir, recent(1000), "recent", Instant.now());
        Files.writeString(dir.resolve("calibration.json"), "{\"quantiles\":[0,1]}");
        history.undo(dir, Instant.now());
        assertThrows(InvalidBundleException.class, this::manifest);
    }

    @Test
    void restorePutsTheManifestBackByteForByte() throws IOException {
        copy();
        byte[] original = Files.readAllBytes(dir.resolve("manifest.json"));
        CalibrationHistory.Change change = history.recalibrate(dir, recent(1000), "recent", Instant.now());
        CalibrationHistory.restore(dir, change);
        assertArrayEquals(original, Files.readAllBytes(dir.resolve("manifest.json")));
        assertDoesNotThrow(this::manifest);
    }
}
