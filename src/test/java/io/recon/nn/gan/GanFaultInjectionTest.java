package io.recon.nn.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.recon.nn.SyntheticTable;

/**
 * NaN written into a real gradient of either network (what a faulty libtorch kernel does): that
 * step is skipped and counted, no NaN reaches a weight, and a run whose steps keep failing stops
 * with a message that says so.
 */
@Tag("plain-djl")
@Tag("training")
class GanFaultInjectionTest {

    private static final TabularGan.Settings SHORT = TabularGan.Settings.defaults().withEpochs(3).withBatchSize(100)
            .withSeed(5);

    @Test
    void poisonedStepsOfBothNetworksAreSkippedAndCounted() {
        SyntheticTable table = SyntheticTable.of(100, 2);
        List<String> log = new ArrayList<>();
        try (TabularGan gan = TabularGan.train(table.rows, table.classOfRow, SHORT, log::add, (network, step, block) -> {
            if (network.equals("critic") ? Set.of(2, 4).contains(step) : step == 3) {
                poison(block);
            }
        })) {
            GanTrainingReport report = gan.training().orElseThrow();
            assertEquals(2, report.criticSteps().skipped(), String.join("\n", log));
            assertEquals(List.of(2, 4), report.criticSteps().first().stream().map(s -> s.step()).toList());
            assertEquals(1, report.generatorSteps().skipped());
            assertEquals(3, report.generatorSteps().first().get(0).step());
            assertEquals(6, report.generatorSteps().steps(), "3 epochs of 200 rows in batches of 100");
            assertTrue(log.stream().anyMatch(l -> l.startsWith("critic: 2 of 6 optimiser steps skipped")),
                    String.join("\n", log));
            for (String cell : gan.sample("a", 50, 1).cells(0)) {
                assertTrue(Double.isFinite(Double.parseDouble(cell)), "NaN reached the generator: " + cell);
            }
        }
    }

    /**
     * A fault on one backward pass that does not come back on the next (how libtorch's CPU backward
     * failed on CI): the step runs once more on the same batch and is taken, nothing skipped.
     */
    @Test
    void aFaultThatDoesNotRepeatIsRetriedAndItsStepTaken() {
        SyntheticTable table = SyntheticTable.of(100, 2);
        List<String> log = new ArrayList<>();
        Set<String> poisoned = new HashSet<>();
        try (TabularGan gan = TabularGan.train(table.rows, table.classOfRow, SHORT, log::add, (network, step, block) -> {
            if (step == 2 && poisoned.add(network)) { // the first pass of step 2 of each network only
                poison(block);
            }
        })) {
            GanTrainingReport report = gan.training().orElseThrow();
            String seen = String.join("\n", log);
            assertEquals(Set.of("critic", "generator"), poisoned);
            assertEquals(0, report.criticSteps().skipped(), seen);
            assertEquals(1, report.criticSteps().retried(), seen);
            assertEquals(0, report.generatorSteps().skipped(), seen);
            assertEquals(1, report.generatorSteps().retried(), seen);
            assertEquals(6, report.generatorSteps().steps(), "a retried step counts once");
            for (String cell : gan.sample("a", 50, 1).cells(0)) {
                assertTrue(Double.isFinite(Double.parseDouble(cell)), "NaN reached the generator: " + cell);
            }
        }
    }

    @Test
    void aCriticThatNeverGetsAFiniteGradientStopsTheRun() {
        // 26 steps an epoch: the 25th skip in a row comes before the epoch ends.
        SyntheticTable table = SyntheticTable.of(1300, 3);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainPoisoning(table,
                SHORT, "critic"));
        assertTrue(e.getMessage().contains("25 critic steps in a row had non-finite gradients"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN in the gradient of"), e.getMessage());
    }

    @Test
    void anEpochWithoutOneGoodGeneratorStepStopsTheRun() {
        SyntheticTable table = SyntheticTable.of(100, 4);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainPoisoning(table,
                SHORT, "generator"));
        assertTrue(e.getMessage().contains("every generator step of epoch 1 had non-finite gradients"),
                e.getMessage());
    }

    private static void trainPoisoning(SyntheticTable table, TabularGan.Settings settings, String network) {
        TabularGan.train(table.rows, table.classOfRow, settings, line -> { }, (name, step, block) -> {
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
}
