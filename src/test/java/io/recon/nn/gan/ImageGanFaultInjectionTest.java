package io.recon.nn.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.recon.nn.SkippedSteps;

/**
 * NaN in the image GAN's training (what a faulty libtorch kernel or a bad image does): a step with
 * a NaN gradient or a NaN loss is skipped and counted, no NaN reaches a weight, and a run whose
 * steps keep failing stops with a message that says so.
 */
@Tag("plain-djl")
@Tag("training")
@Tag("convolution")
class ImageGanFaultInjectionTest {

    private static final int BATCH = 16;
    /** 64 images in batches of 16: 4 steps of each network an epoch. */
    private static final List<float[]> IMAGES = ImageGanTest.rectangles(4 * BATCH, 28, 21);
    private static final ImageGan.Settings SHORT = ImageGan.Settings.defaults().withEpochs(3).withBatchSize(BATCH)
            .withSeed(5);

    @Test
    void poisonedGradientsOfBothNetworksAreSkippedAndCounted() {
        List<String> log = new ArrayList<>();
        Map<String, Block> blocks = new HashMap<>();
        try (ImageGan gan = ImageGan.train(IMAGES, SHORT, log::add, (network, step, block) -> {
            blocks.put(network, block);
            if (network.equals("discriminator") ? Set.of(2, 4).contains(step) : step == 3) {
                poison(block);
            }
        })) {
            String seen = String.join("\n", log);
            DcganTrainingReport report = gan.training().orElseThrow();
            assertEquals(2, report.discriminatorSteps().skipped(), seen);
            assertEquals(List.of(2, 4), report.discriminatorSteps().first().stream().map(s -> s.step()).toList());
            assertEquals(1, report.generatorSteps().skipped(), seen);
            SkippedSteps.SkippedStep skip = report.generatorSteps().first().get(0);
            assertEquals(3, skip.step());
            assertEquals("NaN", skip.value());
            assertTrue(Double.isFinite(skip.loss()), "only the gradient was poisoned: " + skip.describe());
            assertEquals(12, report.generatorSteps().steps(), "3 epochs of 4 steps");
            assertTrue(log.stream().anyMatch(l -> l.startsWith("discriminator: 2 of 12 optimiser steps skipped")),
                    seen);
            assertTrue(log.stream().anyMatch(l -> l.startsWith("generator: 1 of 12 optimiser steps skipped")), seen);
            assertTrue(Double.isFinite(report.discriminatorLoss()) && Double.isFinite(report.generatorLoss()), seen);
            // Sampling clamps NaN to 0, so the weights themselves are looked at.
            assertAllFinite(blocks.get("generator"));
            assertAllFinite(blocks.get("discriminator"));
        }
    }

    /**
     * A fault on one backward pass that does not come back on the next (how libtorch's CPU backward
     * failed on CI): the step runs once more on the same batch and is taken, nothing skipped.
     */
    @Test
    void aFaultThatDoesNotRepeatIsRetriedAndItsStepTaken() {
        List<String> log = new ArrayList<>();
        Map<String, Block> blocks = new HashMap<>();
        Set<String> poisoned = new HashSet<>();
        try (ImageGan gan = ImageGan.train(IMAGES, SHORT, log::add, (network, step, block) -> {
            blocks.put(network, block);
            if (step == 2 && poisoned.add(network)) { // the first pass of step 2 of each network only
                poison(block);
            }
        })) {
            String seen = String.join("\n", log);
            DcganTrainingReport report = gan.training().orElseThrow();
            assertEquals(Set.of("discriminator", "generator"), poisoned);
            assertEquals(0, report.discriminatorSteps().skipped(), seen);
            assertEquals(1, report.discriminatorSteps().retried(), seen);
            assertEquals(0, report.generatorSteps().skipped(), seen);
            assertEquals(1, report.generatorSteps().retried(), seen);
            assertEquals(12, report.generatorSteps().steps(), "a retried step counts once");
            assertAllFinite(blocks.get("generator"));
            assertAllFinite(blocks.get("discriminator"));
        }
    }

    @Test
    void aBatchWithANanPixelIsSkippedOnItsLoss() {
        // Past ImageGan's validation, as a NaN that arises in the engine would be.
        List<float[]> images = new ArrayList<>(IMAGES);
        float[] poisoned = images.get(7).clone();
        poisoned[100] = Float.NaN;
        images.set(7, poisoned);
        Map<String, Block> blocks = new HashMap<>();
        DcganTrainer.Result result = new DcganTrainer(SHORT.withEpochs(2), line -> { },
                (network, step, block) -> blocks.put(network, block)).train(images);
        try {
            // Every image is in one of an epoch's four full batches: one NaN loss an epoch.
            SkippedSteps d = result.report().discriminatorSteps();
            assertEquals(2, d.skipped(), d.describe());
            assertEquals("loss", d.first().get(0).tensor());
            assertEquals("NaN", d.first().get(0).value());
            assertEquals(0, result.report().generatorSteps().skipped(), "the generator never sees real images");
            assertAllFinite(blocks.get("generator"));
            assertAllFinite(blocks.get("discriminator"));
        } finally {
            result.generator().close();
            result.discriminator().close();
        }
    }

    @Test
    void aDiscriminatorThatNeverGetsAFiniteGradientStopsTheRun() {
        ImageGan.Settings settings = SHORT.withMaxConsecutiveSkips(3);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainPoisoning(settings, "discriminator"));
        assertTrue(e.getMessage().contains("3 discriminator steps in a row had non-finite gradients"),
                e.getMessage());
        assertTrue(e.getMessage().contains("NaN in the gradient of"), e.getMessage());
    }

    @Test
    void anEpochWithoutOneGoodGeneratorStepStopsTheRun() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainPoisoning(SHORT, "generator"));
        assertTrue(e.getMessage().contains("every generator step of epoch 1 had non-finite gradients"),
                e.getMessage());
    }

    private static void trainPoisoning(ImageGan.Settings settings, String network) {
        ImageGan.train(IMAGES, settings, line -> { }, (name, step, block) -> {
            if (name.equals(network)) {
                poison(block);
            }
        }).close();
    }

    private static void poison(Block block) {
        Pair<String, Parameter> first = block.getParameters().get(0);
        try (NDArray gradient = first.getValue().getArray().getGradient()) {
            gradient.addi(Float.NaN);
        }
    }

    private static void assertAllFinite(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            try (NDArray nan = array.isNaN(); NDArray infinite = array.isInfinite();
                    NDArray either = nan.logicalOr(infinite); NDArray any = either.any()) {
                assertTrue(!any.getBoolean(), "a non-finite value in " + p.getKey());
            }
        }
    }
}
