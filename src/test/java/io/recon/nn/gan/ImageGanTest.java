package io.recon.nn.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A DCGAN trained briefly on bright rectangles on a dark background: its samples are images in
 * [0, 1], a seed fixes them, a saved and reloaded generator gives the same ones, and they have
 * learnt the pictures' make-up (a dark background with one bright blob). One 28x28 model, trained
 * once, for most of them.
 */
@Tag("plain-djl")
@Tag("training")
@Tag("convolution")
class ImageGanTest {

    private static final int SIDE = 28;
    /** 200 steps of each network, at DCGAN's learning rate: about 4 s on one busy core. */
    private static final int IMAGES = 640;
    private static final int BATCH = 16;
    private static final int EPOCHS = 5;
    private static final ImageGan.Settings SETTINGS = ImageGan.Settings.defaults().withEpochs(EPOCHS)
            .withBatchSize(BATCH).withSeed(42).withProgressEvery(2);

    private static List<float[]> images;
    private static ImageGan gan;
    private static final List<String> LOG = new ArrayList<>();

    @BeforeAll
    static void train() {
        images = rectangles(IMAGES, SIDE, 11);
        gan = ImageGan.train(images, SETTINGS, LOG::add);
    }

    @AfterAll
    static void release() {
        if (gan != null) {
            gan.close();
        }
    }

    /**
     * {@code n} images of one filled rectangle at about 0.9, a quarter to a half of the side wide
     * and high, anywhere, on a background at about 0.05, with Gaussian pixel noise (sd 0.03).
     */
    static List<float[]> rectangles(int n, int side, long seed) {
        Random random = new Random(seed);
        List<float[]> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int w = side / 4 + random.nextInt(side / 4);
            int h = side / 4 + random.nextInt(side / 4);
            int x0 = random.nextInt(side - w);
            int y0 = random.nextInt(side - h);
            float[] image = new float[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    boolean inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
                    double v = (inside ? 0.9 : 0.05) + 0.03 * random.nextGaussian();
                    image[y * side + x] = (float) Math.max(0, Math.min(1, v));
                }
            }
            out.add(image);
        }
        return out;
    }

    @Test
    void itNamesItselfAndItsSide() {
        assertEquals("dcgan", gan.kind());
        assertEquals(SIDE, gan.side());
        assertEquals(SETTINGS, gan.settings());
        assertEquals(0, gan.sample(0, 1).size());
        assertThrows(IllegalArgumentException.class, () -> gan.sample(-1, 1));
    }

    @Test
    void samplesAreImagesWithPixelsInTheUnitInterval() {
        // More than one sampling chunk of 256.
        List<float[]> samples = gan.sample(300, 1);
        assertEquals(300, samples.size());
        for (float[] image : samples) {
            assertEquals(SIDE * SIDE, image.length);
            for (float v : image) {
                assertTrue(Float.isFinite(v) && v >= 0 && v <= 1, "pixel " + v);
            }
        }
    }

    @Test
    void aSeedFixesTheImages() {
        List<float[]> a = gan.sample(20, 8);
        List<float[]> b = gan.sample(20, 8);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "image " + i);
        }
        assertFalse(Arrays.equals(a.get(0), gan.sample(1, 9).get(0)), "another seed, another image");
        // A seed's first images do not depend on how many are asked for, up to float rounding
        // (libtorch blocks a batch of 3 differently from one of 300 over two chunks).
        List<float[]> many = gan.sample(300, 8);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.get(i), many.get(i), 1e-4f, "image " + i);
        }
    }

    @Test
    void progressLinesReportBothLossesAndEta() {
        String log = String.join("\n", LOG);
        assertTrue(LOG.get(0).startsWith("DCGAN: 640 images of 28x28"), log);
        assertTrue(LOG.stream().anyMatch(l -> l.contains("epoch   1/" + EPOCHS)), log);
        assertTrue(LOG.stream().anyMatch(l -> l.contains("epoch   4/" + EPOCHS)), log);
        assertTrue(LOG.stream().anyMatch(l -> l.contains("epoch   " + EPOCHS + "/" + EPOCHS)), log);
        assertTrue(LOG.stream().filter(l -> l.startsWith("  epoch")).allMatch(l -> l.contains("discriminator loss")
                && l.contains("generator loss") && l.contains("D(real)") && l.contains("D(fake)")
                && l.contains("s elapsed, ETA")), log);
        DcganTrainingReport report = gan.training().orElseThrow();
        int steps = EPOCHS * (IMAGES / BATCH);
        assertEquals(steps, report.discriminatorSteps().steps());
        assertEquals(steps, report.generatorSteps().steps());
        assertEquals(0, report.discriminatorSteps().skipped() + report.generatorSteps().skipped(), log);
        assertTrue(Double.isFinite(report.discriminatorLoss()) && Double.isFinite(report.generatorLoss()), log);
    }

    /**
     * The learnt images are dark with one bright, solid blob, as the training images are (about 13%
     * bright pixels, 87% dark, 90% of a bright pixel's neighbours bright). Not an untrained
     * generator: its output bias starts at the images' mean brightness, so its pixels are all
     * mid-grey (no bright pixel at all), and the same check rejects it after one step.
     */
    @Test
    void itLearnsADarkBackgroundWithOneBrightBlob() {
        String real = PixelStatistics.of(images, SIDE).toString();
        PixelStatistics learnt = PixelStatistics.of(gan.sample(200, 5), SIDE);
        String seen = "real: " + real + "; learnt: " + learnt + "\n" + String.join("\n", LOG);
        assertTrue(learnt.looksLikeRectangles(), seen);
        try (ImageGan oneStep = ImageGan.train(images.subList(0, BATCH), SETTINGS.withEpochs(1), line -> { })) {
            PixelStatistics untrained = PixelStatistics.of(oneStep.sample(200, 5), SIDE);
            assertFalse(untrained.looksLikeRectangles(), "after one step: " + untrained);
        }
    }

    @Test
    void aSavedAndLoadedGeneratorGivesTheSameImages(@TempDir Path dir) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        gan.save(dir, mapper);
        assertTrue(Files.exists(dir.resolve(ImageGan.LAYOUT_FILE)));
        assertTrue(Files.exists(dir.resolve("dcgan-generator-0000.params")));
        assertTrue(Files.exists(dir.resolve("dcgan-critic-0000.params")));
        JsonNode layout = mapper.readTree(dir.resolve(ImageGan.LAYOUT_FILE).toFile());
        assertEquals("dcgan", layout.get("kind").asText());
        assertEquals(SIDE, layout.get("side").asInt());
        assertEquals(64, layout.get("latentSize").asInt());
        assertEquals(64, layout.get("channels").asInt(), layout.toString());
        assertTrue(layout.get("discriminator").asBoolean());
        // BatchNorm's running statistics are saved with the weights: sampling uses them.
        try (ImageGan loaded = ImageGan.load(dir, mapper)) {
            assertEquals(gan.settings(), loaded.settings());
            assertEquals(gan.training(), loaded.training());
            List<float[]> before = gan.sample(40, 4);
            List<float[]> after = loaded.sample(40, 4);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "image " + i);
            }
            // Saved again without the discriminator it never loaded.
            Path again = dir.resolve("again");
            loaded.save(again, mapper);
            assertFalse(Files.exists(again.resolve("dcgan-critic-0000.params")));
            assertFalse(mapper.readTree(again.resolve(ImageGan.LAYOUT_FILE).toFile()).get("discriminator")
                    .asBoolean());
        }
    }

    @Test
    void a64By64ModelTrainsAndSamples() {
        List<String> log = new ArrayList<>();
        ImageGan.Settings settings = SETTINGS.withSide(64).withEpochs(1);
        try (ImageGan big = ImageGan.train(rectangles(2 * BATCH, 64, 3), settings, log::add)) {
            assertEquals(64, big.side());
            assertEquals(2, big.training().orElseThrow().generatorSteps().steps(), String.join("\n", log));
            List<float[]> samples = big.sample(5, 2);
            assertEquals(5, samples.size());
            for (float[] image : samples) {
                assertEquals(64 * 64, image.length);
                for (float v : image) {
                    assertTrue(Float.isFinite(v) && v >= 0 && v <= 1, "pixel " + v);
                }
            }
        }
    }

    @Test
    void unsupportedSettingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGan.Settings.defaults().withSide(32));
        assertTrue(e.getMessage().contains("side 28 or 64, not 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageGan.Settings.defaults().withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> ImageGan.Settings.defaults().withLearningRate(0));
    }

    @Test
    void imagesThatAreNotImagesOfTheSideAreRefused() {
        List<float[]> bad = new ArrayList<>(rectangles(BATCH, SIDE, 1));
        bad.set(3, new float[SIDE * SIDE - 1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGan.train(bad, SETTINGS, line -> { }));
        assertTrue(e.getMessage().contains("image 3 has 783 pixels, not 28x28"), e.getMessage());

        bad.set(3, bad.get(4).clone());
        bad.get(5)[10] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> ImageGan.train(bad, SETTINGS, line -> { }));
        assertTrue(e.getMessage().contains("image 5 has pixel 10 = NaN"), e.getMessage());

        bad.get(5)[10] = 1.5f;
        e = assertThrows(IllegalArgumentException.class, () -> ImageGan.train(bad, SETTINGS, line -> { }));
        assertTrue(e.getMessage().contains("image 5 has pixel 10 = 1.5, outside [0, 1]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> ImageGan.train(rectangles(BATCH - 1, SIDE, 1), SETTINGS, line -> { }));
        assertTrue(e.getMessage().contains("fewer than one batch"), e.getMessage());
    }

    @Test
    void theLossIsTheBinaryCrossEntropyOfLogitsWithoutOverflow() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {-200f, 0f, 200f});
            assertArrayEquals(new float[] {0f, (float) Math.log(2), 200f},
                    NonSaturatingGanLoss.softplus(logits).toFloatArray(), 1e-6f);
            // A discriminator sure and right: no loss; the generator it fools completely: no loss.
            NDArray sure = manager.create(new float[] {200f, 200f});
            assertEquals(0f, NonSaturatingGanLoss.discriminator(sure, sure.neg()).getFloat(), 1e-6f);
            assertEquals(0f, NonSaturatingGanLoss.generator(sure).getFloat(), 1e-6f);
            // Unsure (logit 0): log 2 per term.
            NDArray zero = manager.zeros(new ai.djl.ndarray.types.Shape(2));
            assertEquals(2 * Math.log(2), NonSaturatingGanLoss.discriminator(zero, zero).getFloat(), 1e-6);
        }
    }

    /**
     * What a set of images is made of: its share of bright (> 0.5) and dark (< 0.25) pixels, and
     * how solid its bright areas are (the mean share of a bright pixel's 4-neighbours that are
     * bright: about 0.9 for filled rectangles, the bright share itself for scattered pixels).
     */
    record PixelStatistics(double bright, double dark, double solidity) {

        static PixelStatistics of(List<float[]> images, int side) {
            long bright = 0;
            long dark = 0;
            double solidity = 0;
            for (float[] image : images) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        float v = image[y * side + x];
                        if (v < 0.25f) {
                            dark++;
                        }
                        if (v > 0.5f) {
                            bright++;
                            solidity += brightNeighbours(image, side, x, y);
                        }
                    }
                }
            }
            double pixels = (double) images.size() * side * side;
            return new PixelStatistics(bright / pixels, dark / pixels, bright == 0 ? 0 : solidity / bright);
        }

        private static double brightNeighbours(float[] image, int side, int x, int y) {
            int bright = 0;
            int all = 0;
            for (int[] d : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                int nx = x + d[0];
                int ny = y + d[1];
                if (nx >= 0 && ny >= 0 && nx < side && ny < side) {
                    all++;
                    bright += image[ny * side + nx] > 0.5f ? 1 : 0;
                }
            }
            return bright / (double) all;
        }

        /**
         * Within wide bounds of the rectangles' 13% bright, 87% dark and 0.9 solidity. After 200
         * steps, four seeds gave 14-18% bright, 72-76% dark, solidity 0.68-0.83.
         */
        boolean looksLikeRectangles() {
            return bright > 0.05 && bright < 0.3 && dark > 0.5 && solidity > 0.5;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f%% bright, %.1f%% dark, solidity %.2f", 100 * bright, 100 * dark,
                    solidity);
        }
    }
}
