package io.recon.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleDigestsTest {

    @TempDir
    Path dir;

    private Map<String, String> sealed() throws IOException {
        Files.write(dir.resolve("vae-0000.params"), new byte[] {1, 2, 3, 4});
        Files.writeString(dir.resolve("calibration.json"), "{\"quantiles\":[0,1]}");
        return BundleDigests.of(dir, BundleDigests.required(dir, "calibration.json"));
    }

    private String refusal(Map<String, String> files) {
        return assertThrows(InvalidBundleException.class,
                () -> BundleDigests.verify(dir, files, BundleDigests.required(dir, "calibration.json"))).getMessage();
    }

    @Test
    void aSealedBundlePasses() throws IOException {
        Map<String, String> files = sealed();
        assertEquals(List.of("calibration.json", "vae-0000.params"), List.copyOf(files.keySet()));
        assertEquals("9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a", files.get("vae-0000.params"));
        assertDoesNotThrow(() -> BundleDigests.verify(dir, files, BundleDigests.required(dir, "calibration.json")));
    }

    @Test
    void oneChangedByteIsRefusedNamingTheFile() throws IOException {
        Map<String, String> files = sealed();
        Files.write(dir.resolve("vae-0000.params"), new byte[] {1, 2, 3, 5});
        String message = refusal(files);
        assertTrue(message.contains("vae-0000.params does not match its manifest"), message);
        assertTrue(message.startsWith("Model bundle " + dir + " refused"), message);
    }

    @Test
    void aMissingFileIsRefused() throws IOException {
        Map<String, String> files = sealed();
        Files.delete(dir.resolve("calibration.json"));
        assertTrue(refusal(files).contains("calibration.json is missing"));
    }

    @Test
    void parametersTheManifestDoesNotListAreRefused() throws IOException {
        Map<String, String> files = sealed();
        // DJL loads the newest epoch's file: one slipped in beside the sealed one must not be used.
        Files.write(dir.resolve("vae-0001.params"), new byte[] {9});
        assertTrue(refusal(files).contains("no digest for vae-0001.params"));
    }

    @Test
    void aManifestWithoutDigestsIsRefusedWithTheWayOut() {
        assertTrue(refusal(Map.of()).contains("seal-bundle"));
        assertTrue(refusal(null).contains("lists no file digests"));
    }

    @Test
    void namesOutsideTheBundleAreRefused() throws IOException {
        Map<String, String> files = new HashMap<>(sealed());
        files.put("../../etc/passwd", "00");
        assertTrue(refusal(files).contains("outside the bundle"));
    }
}
