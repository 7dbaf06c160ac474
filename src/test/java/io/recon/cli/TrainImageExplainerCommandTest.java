package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ImageExplainerBundle;
import io.recon.cli.bench.CtSliceBenchmarkCommand;
import io.recon.cli.bench.FashionMnistBenchmarkCommand;
import io.recon.data.FashionMnistClass;
import io.recon.nn.explainer.ImageExplanationMap;

/**
 * {@code train-image-explainer} on a tiny budget writes a bundle that loads, explains the CT or
 * Fashion-MNIST model it names with that model's map, and records the map's clean level; the
 * bundled ones are rebuilt by the full run (README).
 */
@Tag("plain-djl")
@Tag("training")
class TrainImageExplainerCommandTest {

    @TempDir
    Path dir;

    @Test
    void tinyRunWritesABundleThatLoads() {
        Assumptions.assumeTrue(Files.isRegularFile(CtSliceBenchmarkCommand.DEFAULT_VOLUME),
                "install invesalius-examples");
        ObjectMapper mapper = new ObjectMapper();
        Path out = dir.resolve("imaging-ct-explainer");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new TrainImageExplainerCommand(mapper, new PrintStream(log, true)).run(new String[] {
            "--model", "models/imaging-vae-ct", "--out", out.toString(), "--epochs", "2", "--copies", "1",
            "--normal-copies", "1"});
        try (ImageExplainerBundle b = ImageExplainerBundle.load(out, Device.cpu(), mapper)) {
            ImageExplainerBundle.Manifest m = b.manifest();
            assertEquals("imaging-vae-ct", m.explains().model());
            assertEquals(64, m.side());
            assertTrue(m.normalMap().p999() >= m.normalMap().p99() && m.normalMap().p99() > 0, m.toString());
            assertTrue(m.rebuild().contains("train-image-explainer"), m.rebuild());
            assertEquals(1, b.model().explain(List.of(new float[64 * 64])).size());
            assertEquals(ImageExplanationMap.RESIDUAL_OVER_SPREAD, m.explanationMap());
            assertNull(m.mapScales());
        }
    }

    @Test
    void fashionModelGetsTheGeometricMeanMapWithItsCleanScales() {
        Path data = FashionMnistBenchmarkCommand.DEFAULT_DATA_DIR;
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve(FashionMnistClass.TRAIN_IMAGES)),
                "install dataset-fashion-mnist");
        ObjectMapper mapper = new ObjectMapper();
        Path out = dir.resolve("imaging-fashion-1-explainer");
        new TrainImageExplainerCommand(mapper, new PrintStream(new ByteArrayOutputStream(), true)).run(new String[] {
            "--model", "models/imaging-vae-fashion-1", "--out", out.toString(), "--epochs", "1"});
        try (ImageExplainerBundle b = ImageExplainerBundle.load(out, Device.cpu(), mapper)) {
            ImageExplainerBundle.Manifest m = b.manifest();
            assertEquals("imaging-vae-fashion-1", m.explains().model());
            assertEquals(28, m.side());
            assertNull(m.window());
            assertEquals(4, m.settings().patch());
            assertEquals(ImageExplanationMap.GEOMETRIC_MEAN, m.explanationMap());
            assertTrue(m.mapScales().vaeHeatmap() > 0 && m.mapScales().patchResidual() > 0, m.toString());
            assertEquals(1000, m.training().normalImages());
            assertTrue(m.normalMap().p999() >= m.normalMap().p99() && m.normalMap().p99() > 0, m.toString());
            assertTrue(m.rebuild().contains("--map vae*patch-standardised-residual"), m.rebuild());
        }
    }
}
