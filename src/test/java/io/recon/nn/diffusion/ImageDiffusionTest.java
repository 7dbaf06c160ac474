package io.recon.nn.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * An image diffusion model trained briefly on images whose right half is bright and left half dark
 * (with noise and a jittered edge): its images are in range, as smooth as those where an untrained
 * network's are noise, a seed fixes them, a saved and reloaded model draws the same ones, a
 * poisoned gradient is skipped and counted, and 64x64 images work too.
 */
@Tag("plain-djl")
@Tag("training")
@Tag("convolution")
class ImageDiffusionTest {

    private static final int SIDE = 28;
    /** A small U-Net and a high learning rate: 80 steps must show that it learns. */
    private static final ImageDiffusion.Settings SETTINGS = ImageDiffusion.Settings.defaults().withEpochs(20)
            .withBatchSize(16).withBaseChannels(16).withLearningRate(2e-3).withSeed(3).withProgressEvery(5)
            .withSampling(10, 0);
    /** Pixels of the same seed may differ by float rounding (measured: 3e-5): kernels may round differently per call. */
    private static final float ROUNDING = 1e-3f;

    private static ImageDiffusion model;
    private static final List<String> LOG = new ArrayList<>();

    @BeforeAll
    static void train() {
        model = ImageDiffusion.train(halves(SIDE, 64, 1), SETTINGS, LOG::add);
    }

    @AfterAll
    static void release() {
        if (model != null) {
            model.close();
        }
    }

    /** Images dark on the left (about 0.15) and bright on the right (about 0.85), the edge within 3 pixels of the middle. */
    static List<float[]> halves(int side, int count, long seed) {
        Random random = new Random(seed);
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] image = new float[side * side];
            int edge = side / 2 + random.nextInt(7) - 3;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    double v = (c < edge ? 0.15 : 0.85) + 0.05 * random.nextGaussian();
                    image[r * side + c] = (float) Math.max(0, Math.min(1, v));
                }
            }
            images.add(image);
        }
        return images;
    }

    /** Mean absolute difference of horizontally neighbouring pixels: about 0.07 in the training images, 0.5 in noise. */
    static double roughness(List<float[]> images, int side) {
        double sum = 0;
        for (float[] image : images) {
            for (int r = 0; r < side; r++) {
                for (int c = 1; c < side; c++) {
                    sum += Math.abs(image[r * side + c] - image[r * side + c - 1]);
                }
            }
        }
        return sum / (images.size() * side * (side - 1.0));
    }

    @Test
    void imagesAreInRangeAndSmoothAsTheTrainingImagesWhereAnUntrainedNetworksAreNot() {
        List<float[]> images = model.sample(40, 7);
        assertEquals(40, images.size());
        for (float[] image : images) {
            assertEquals(SIDE * SIDE, image.length);
            for (float p : image) {
                assertTrue(p >= 0 && p <= 1, "pixel " + p);
            }
        }
        double trained = roughness(images, SIDE);
        try (ImageDiffusion untrained = ImageDiffusion.train(halves(SIDE, 16, 2), SETTINGS.withEpochs(1),
                line -> { })) {
            double before = roughness(untrained.sample(40, 7), SIDE);
            // Measured: about 0.2 after these 80 steps, 0.49 untrained.
            assertTrue(trained < 0.3 && trained < 0.6 * before, "neighbour difference " + trained + " trained, "
                    + before + " untrained\n" + String.join("\n", LOG));
        }
    }

    @Test
    void theSameSeedGivesTheSameImagesAndAnotherSeedOthers() {
        List<float[]> a = model.sample(5, 11);
        List<float[]> b = model.sample(5, 11);
        List<float[]> c = model.sample(5, 12);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(a.get(i), b.get(i), ROUNDING);
            assertTrue(largestDifference(a.get(i), c.get(i)) > 0.1, "another seed, another image");
        }
        // An image does not depend on how many were asked for with it.
        assertArrayEquals(a.get(0), model.sample(1, 11).get(0), ROUNDING);
    }

    private static double largestDifference(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    @Test
    void progressLinesReportTheLossAndEta() {
        assertTrue(LOG.get(0).startsWith("DDPM: 64 images of 28x28"), LOG.get(0));
        assertTrue(LOG.stream().anyMatch(l -> l.matches(".*epoch +20/20 .*") && l.contains("MSE") && l.contains("ETA")),
                String.join("\n", LOG));
        ImageDiffusion.TrainingReport report = model.training().orElseThrow();
        assertTrue(report.finalLoss() > 0 && report.finalLoss() < 0.5, "noise MSE " + report.finalLoss());
        // With AVX-512 kernels on two threads, libtorch's backward pass now and then returns NaN
        // gradients (here step 1 or 2; see ImageDiffusionTrainer): the guard skips such a step.
        // More than two in 80 is a fault.
        assertTrue(report.skippedSteps().skipped() <= 2, report.skippedSteps().toString());
    }

    @Test
    void aSavedModelDrawsTheSameImages(@TempDir Path dir) {
        ObjectMapper mapper = new ObjectMapper();
        model.save(dir, mapper);
        try (ImageDiffusion loaded = ImageDiffusion.load(dir, mapper)) {
            assertEquals(SETTINGS, loaded.settings());
            List<float[]> before = model.sample(3, 5);
            List<float[]> after = loaded.sample(3, 5);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(before.get(i), after.get(i), ROUNDING);
            }
        }
    }

    @Test
    void badImagesAndSettingsAreRefused() {
        List<float[]> images = halves(SIDE, 20, 1);
        images.set(3, new float[SIDE * SIDE - 1]);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> ImageDiffusion.train(images, SETTINGS, line -> { }));
        assertTrue(size.getMessage().contains("image 3 has 783 pixels"), size.getMessage());
        images.set(3, new float[SIDE * SIDE]);
        images.get(5)[10] = Float.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> ImageDiffusion.train(images, SETTINGS, line -> { }));
        assertTrue(nan.getMessage().contains("image 5 has pixel 10 = NaN"), nan.getMessage());
        IllegalArgumentException side = assertThrows(IllegalArgumentException.class,
                () -> SETTINGS.withSide(32));
        assertTrue(side.getMessage().contains("28 or 64"), side.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SETTINGS.withBaseChannels(24));
    }

    @Test
    void poisonedStepsAreSkippedAndCounted() {
        List<String> log = new ArrayList<>();
        try (ImageDiffusion poisoned = ImageDiffusion.train(halves(SIDE, 32, 4), SETTINGS.withEpochs(3), log::add,
                (step, trainer) -> {
                    if (Set.of(2, 5).contains(step)) {
                        Pair<String, Parameter> first = trainer.getModel().getBlock().getParameters().get(0);
                        try (NDArray gradient = first.getValue().getArray().getGradient()) {
                            gradient.addi(Float.NaN);
                        }
                    }
                })) {
            ImageDiffusion.TrainingReport report = poisoned.training().orElseThrow();
            assertEquals(List.of(2, 5), report.skippedSteps().first().stream().map(skip -> skip.step())
                    .filter(step -> step != 1).toList(), String.join("\n", log));
            assertEquals(6, report.skippedSteps().steps(), "3 epochs of 32 images in batches of 16");
            for (float p : poisoned.sample(2, 1).get(0)) {
                assertTrue(Float.isFinite(p), "NaN reached the U-Net");
            }
        }
    }

    @Test
    void sixtyFourPixelImagesWork() {
        ImageDiffusion.Settings big = SETTINGS.withSide(64).withEpochs(1).withBatchSize(8).withSampling(3, 0);
        try (ImageDiffusion small = ImageDiffusion.train(halves(64, 16, 5), big, line -> { })) {
            List<float[]> images = small.sample(2, 1);
            assertEquals(64 * 64, images.get(0).length);
            for (float p : images.get(1)) {
                assertTrue(p >= 0 && p <= 1, "pixel " + p);
            }
        }
    }
}
