package io.recon.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.event.ImageEventDecoder;
import io.recon.data.Inv3VolumeReader;
import io.recon.imaging.Volume;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ImageModelManifest;
import io.recon.scorer.ImageScorer;
import io.recon.scorer.Outcome;

/**
 * The head-CT slice benchmark end to end on a tiny budget (32x32 input, two epochs): the report
 * has every section, and the bundle it writes loads in the service's classes and scores a raw
 * int16 CT slice through the model's own window. Quality is measured by the full run
 * ({@code tests/imaging/rebuild-ct-model.sh}), not here.
 */
@Tag("plain-djl")
@Tag("training")
@Tag("convolution")
class CtSliceBenchmarkCommandTest {

    @TempDir
    Path dir;

    @Test
    void tinyRunWritesAReportAndABundleTheServiceScoresWith() throws Exception {
        Path volume = CtSliceBenchmarkCommand.DEFAULT_VOLUME;
        Assumptions.assumeTrue(Files.isRegularFile(volume), volume + " not found: install invesalius-examples");
        ObjectMapper mapper = new ObjectMapper();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path bundleDir = dir.resolve("imaging-vae-ct");
        Path json = new CtSliceBenchmarkCommand(mapper, new PrintStream(log, true)).run(new String[] {
            "--side", "32", "--downsamplings", "2", "--epochs", "2", "--copies", "1", "--variants", "1",
            "--latent", "8", "--iwae-samples", "2", "--out", dir.toString(), "--bundle-dir", bundleDir.toString()});

        assertTrue(Files.exists(dir.resolve("ct-slices.md")), log.toString());
        JsonNode report = mapper.readTree(json.toFile());
        JsonNode results = report.get("results");
        int testSlices = report.get("data").get("testSlices").asInt();
        assertTrue(testSlices >= 15, "brain slices with z % 4 == 2: " + testSlices);
        assertEquals(testSlices, results.get("cleanImages").asInt(), "one pose each");
        assertTrue(results.get("lesionedImages").asInt() >= testSlices - 2, results.toString());
        for (var score : List.of("iwae", "negative_elbo_excess", "local_peak_excess")) {
            double auroc = results.get("imageAuroc").get(score).asDouble();
            assertTrue(auroc >= 0 && auroc <= 1, score + " " + auroc);
        }
        assertTrue(results.get("pixelAuroc").get("lesionPixels").asInt() > 0);
        assertEquals(4, results.get("byLesion").size());
        assertFalse(results.get("outOfDistribution").isEmpty(), "at least the bone-window set");

        ImageModelManifest manifest = mapper.readValue(bundleDir.resolve(ImageModelManifest.FILE).toFile(),
                ImageModelManifest.class);
        assertEquals(32, manifest.width());
        assertEquals(2, manifest.downsamplingsOrDefault());
        assertEquals("CT", manifest.modality());
        assertEquals(40, manifest.window().center());
        assertEquals(report.get("data").get("calibrationSlices").asInt() * 12, manifest.calibration().rows(),
                "12 poses of each calibration slice");

        try (ImageModelBundle bundle = ImageModelBundle.load(bundleDir, Device.cpu(), mapper)) {
            ImageScorer scorer = new ImageScorer(bundle, new ImageEventDecoder(mapper, null,
                    ImageEventDecoder.Limits.defaults(), manifest.window()), Clock.systemUTC());
            Volume ct = new Inv3VolumeReader().read(volume);
            List<Outcome> outcomes = scorer.scorePayloads(List.of(rawSliceEvent(mapper, ct, 50)));
            assertEquals(1, outcomes.size());
            assertTrue(outcomes.get(0).verdict() != null, "scored, not rejected: " + outcomes.get(0));
            assertEquals(manifest.version(), outcomes.get(0).verdict().modelVersion());
        }
    }

    /** Slice z of the volume as a raw little-endian int16 image event in HU, as a CT gateway would send it. */
    private static byte[] rawSliceEvent(ObjectMapper mapper, Volume ct, int z) {
        float[] hu = ct.sliceValues(z);
        ByteBuffer bytes = ByteBuffer.allocate(hu.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : hu) {
            bytes.putShort((short) Math.round(v));
        }
        ObjectNode e = mapper.createObjectNode().put("id", "ct-50").put("ts", 1_700_000_000_000L)
                .put("source", "ct-gateway").put("modality", "CT").put("encoding", "raw").put("width", ct.nx())
                .put("height", ct.ny()).put("dtype", "int16").put("data",
                        Base64.getEncoder().encodeToString(bytes.array()));
        return e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
