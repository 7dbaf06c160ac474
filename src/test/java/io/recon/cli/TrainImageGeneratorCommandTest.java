package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

import io.recon.bundle.ImageGeneratorBundle;
import io.recon.bundle.InvalidBundleException;

/**
 * {@code train-generator} for images, briefly trained on the real data sets: a Fashion-MNIST class
 * share with the DCGAN and the CT slices with the DDPM each become a bundle whose manifest says what
 * was learned from and which loads back to sample images of its side in [0, 1]; a tampered file or
 * another kind is refused.
 */
@Tag("plain-djl")
@Tag("training")
@Tag("convolution")
class TrainImageGeneratorCommandTest {

    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    private static final Path CT = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");
    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFashionMnistShareBecomesADcganBundleThatSamplesImages() throws Exception {
        Assumptions.assumeTrue(Files.exists(FASHION), FASHION + " not found: install dataset-fashion-mnist");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = dir.resolve("dcgan");
        new TrainGeneratorCommand(mapper, new PrintStream(log, true)).run(new String[] {"--kind", "dcgan",
            "--images", "fashion-mnist", "--class", "1", "--fraction", "0.02", "--epochs", "2", "--out",
            out.toString()});
        assertTrue(log.toString().contains("epoch   2/2"), log.toString());

        ImageGeneratorBundle.Manifest m = ImageGeneratorBundle.manifest(out, mapper);
        assertEquals("dcgan", m.kind());
        assertEquals(28, m.side());
        assertEquals("Trouser", m.imageClass());
        assertEquals(100, m.training().images(), "2% of the 5,000 images before the 1,000 held out");
        assertTrue(m.training().selection().contains("held out"), m.training().selection());
        assertEquals(64, m.training().dataSha256().length());
        assertTrue(m.rebuild().contains("--epochs 2") && m.rebuild().contains("--seed 42"), m.rebuild());
        assertTrue(m.files().keySet().stream().anyMatch(f -> f.endsWith(".params")), m.files().toString());

        ImageGeneratorBundle.Opened opened = ImageGeneratorBundle.open(out, "dcgan", mapper);
        try (var generator = opened.generator()) {
            assertInRange(generator.sample(5, 1), 28);
        }
        assertThrows(IllegalArgumentException.class, () -> ImageGeneratorBundle.open(out, "ddpm", mapper));
        Path params = Files.list(out).filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 1;
        Files.write(params, bytes);
        assertThrows(InvalidBundleException.class, () -> ImageGeneratorBundle.open(out, "dcgan", mapper));
    }

    @Test
    void theCtTrainingSlicesBecomeADdpmBundleOfTheModelsSide() throws Exception {
        Assumptions.assumeTrue(Files.exists(CT), CT + " not found: install invesalius-examples");
        Path out = dir.resolve("ddpm");
        new TrainGeneratorCommand(mapper, new PrintStream(new ByteArrayOutputStream(), true)).run(new String[] {
            "--kind", "ddpm", "--images", "ct", "--copies", "1", "--epochs", "1", "--batch-size", "16",
            "--sampling-steps", "2", "--out", out.toString()});
        ImageGeneratorBundle.Manifest m = ImageGeneratorBundle.manifest(out, mapper);
        assertEquals("ddpm", m.kind());
        assertEquals(64, m.side());
        assertEquals("CT", m.modality());
        assertTrue(m.pixelScale().contains("40/80"), m.pixelScale());
        assertTrue(m.training().selection().contains("never seen"), m.training().selection());
        try (var generator = ImageGeneratorBundle.open(out, "ddpm", mapper).generator()) {
            assertInRange(generator.sample(2, 1), 64);
        }
    }

    @Test
    void anImageKindNeedsAnImageSource() {
        assertThrows(IllegalArgumentException.class, () -> new TrainGeneratorCommand(mapper,
                new PrintStream(new ByteArrayOutputStream(), true)).run(new String[] {"--kind", "dcgan", "--images",
                    "mri", "--out", dir.toString()}));
    }

    private static void assertInRange(List<float[]> images, int side) {
        assertEquals(images.size() > 0, true);
        for (float[] image : images) {
            assertEquals(side * side, image.length);
            for (float p : image) {
                assertTrue(p >= 0 && p <= 1, "pixel " + p);
            }
        }
    }
}
