package io.recon.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;

import io.recon.progress.Progress;

/**
 * The shared training loop survives a faulty kernel on any CPU: faults are injected after the
 * backward pass at chosen steps (a NaN or an infinity written into a real gradient, or a NaN
 * loss), so these tests hold on machines where the engine never misbehaves too.
 */
@Tag("plain-djl")
@Tag("training")
class TrainingLoopTest {

    private static final int WIDTH = 4;
    /** Rows of a noiseless linear target: the first three inputs, the last column is y = x . w. */
    private static final float[] W = {0.5f, -1.5f, 2f};

    @Test
    void skipsStepsWithNonFiniteGradientsAndStillConverges() {
        Run clean = train(Set.of(), Float.NaN, 0);
        Run faulty = train(Set.of(3, 7, 40), Float.NaN, 0);
        assertEquals(0, clean.result.skippedSteps().skipped());
        assertEquals(3, faulty.result.skippedSteps().skipped());
        assertEquals(0, faulty.result.skippedSteps().retried(), "a fault that repeats on the second pass is skipped");
        assertEquals(clean.result.skippedSteps().steps(), faulty.result.skippedSteps().steps());
        List<SkippedSteps.SkippedStep> first = faulty.result.skippedSteps().first();
        assertEquals(List.of(3, 7, 40), first.stream().map(SkippedSteps.SkippedStep::step).toList());
        assertEquals("NaN", first.get(0).value());
        assertTrue(first.get(0).tensor().endsWith("weight"), first.get(0).tensor());
        assertTrue(Double.isFinite(first.get(0).loss()), "the forward pass was fine");
        // Both fit the linear target; a NaN that reached the weights would leave NaN here.
        assertTrue(clean.result.finalLoss() < 1e-3, "clean " + clean.result.finalLoss());
        assertTrue(faulty.result.finalLoss() < 1e-3, "faulty " + faulty.result.finalLoss() + "\n" + faulty.log);
        assertTrue(faulty.log.contains("3 of " + faulty.result.skippedSteps().steps() + " optimiser steps skipped"),
                faulty.log);
    }

    @Test
    void reportsEachAppliedStepToTheProgressMeterFromZeroToTheWholeRun() {
        Run faulty = train(Set.of(3, 7, 40), Float.NaN, 0);
        // 30 epochs of 8 steps; the three skipped steps are not reported, the end is.
        assertEquals(1 + 240 - 3 + 1, faulty.advances.size());
        assertEquals(List.of(0L, 240L), List.of(faulty.advances.get(0)[0], faulty.advances.get(0)[1]));
        long previous = -1;
        for (long[] a : faulty.advances) {
            assertEquals(240, a[1]);
            assertTrue(a[0] >= previous, "never backwards: " + a[0] + " after " + previous);
            previous = a[0];
        }
        assertEquals(240, previous);
        assertEquals("epoch 1/30", faulty.notes.get(0));
        String last = faulty.notes.get(faulty.notes.size() - 1);
        assertTrue(last.matches("epoch 30/30  loss \\d\\.\\d{4} nats/row at epoch 30"), last);
    }

    @Test
    void aFaultOnlyTheFirstBackwardPassShowsIsRetriedAndTheStepTaken() {
        Run flaky = train(Set.of(3, 7, 40), Float.NaN, 0, 32, Integer.MAX_VALUE, true);
        assertEquals(0, flaky.result.skippedSteps().skipped(), flaky.log);
        assertEquals(3, flaky.result.skippedSteps().retried(), flaky.log);
        assertTrue(flaky.result.finalLoss() < 1e-3, flaky.log);
        assertTrue(flaky.log.contains("0 of " + flaky.result.skippedSteps().steps() + " optimiser steps skipped "
                + "(non-finite gradients), 3 more taken after a second backward pass"), flaky.log);
    }

    @Test
    void gradientsThatSumToZeroAtTheFirstStepAreSkippedNotFatal() {
        // DJL refuses a first step whose gradients sum to exactly zero; zeroed gradients stand in for
        // large ones of both signs that cancel in float.
        Run zeroed = train(Set.of(1, 2), 0f, 0, 32, Integer.MAX_VALUE, false, true);
        assertEquals(2, zeroed.result.skippedSteps().skipped(), zeroed.log);
        SkippedSteps.SkippedStep first = zeroed.result.skippedSteps().first().get(0);
        assertEquals(1, first.step());
        assertEquals("sum of all gradients", first.tensor());
        assertTrue(zeroed.result.finalLoss() < 1e-3, zeroed.log);
    }

    @Test
    void infiniteGradientsAreSkippedToo() {
        Run faulty = train(Set.of(5), Float.POSITIVE_INFINITY, 0);
        assertEquals(1, faulty.result.skippedSteps().skipped());
        assertEquals("Infinity", faulty.result.skippedSteps().first().get(0).value());
        assertTrue(faulty.result.finalLoss() < 1e-3, faulty.log);
    }

    @Test
    void aNonFiniteLossIsSkippedAndNamed() {
        Run faulty = train(Set.of(), Float.NaN, 11);
        assertEquals(1, faulty.result.skippedSteps().skipped());
        assertEquals("loss", faulty.result.skippedSteps().first().get(0).tensor());
        assertEquals(11, faulty.result.skippedSteps().first().get(0).step());
        assertTrue(faulty.result.finalLoss() < 1e-3, faulty.log);
    }

    @Test
    void anEpochWithoutOneGoodStepStopsTheRunAndSaysWhereAndWhy() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(stepsFrom(10), Float.NaN, 0));
        // 8 steps an epoch: epoch 3 (steps 17..24) is the first with no step applied.
        assertTrue(e.getMessage().contains("every optimiser step of epoch 3"), e.getMessage());
        assertTrue(e.getMessage().contains("the last at step 24 (epoch 3): NaN in the gradient of weight"),
                e.getMessage());
        assertTrue(e.getMessage().contains("backward pass"), e.getMessage());
    }

    @Test
    void manySkippedStepsInARowStopTheRun() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(stepsFrom(10), Float.NaN, 0, 8));
        // 32 steps an epoch: the 25th skipped step in a row is step 34, in epoch 2.
        assertTrue(e.getMessage().contains("25 optimiser steps in a row"), e.getMessage());
        assertTrue(e.getMessage().contains("the last at step 34 (epoch 2)"), e.getMessage());
    }

    @Test
    void aLossThatExplodesWhileFiniteStopsTheRun() {
        // From epoch 4 on the loss is a million times larger: finite, so no step is skipped.
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(Set.of(), Float.NaN, 0, 32, 3));
        assertTrue(e.getMessage().contains("by epoch 4, every value finite"), e.getMessage());
    }

    private static Set<Integer> stepsFrom(int first) {
        Set<Integer> steps = new java.util.HashSet<>();
        for (int s = first; s < 10_000; s++) {
            steps.add(s);
        }
        return steps;
    }

    private record Run(TrainingLoop.Result result, String log, List<long[]> advances, List<String> notes) {
    }

    /**
     * Fits y = x . w with a linear layer for 30 epochs of 256 rows (8 steps of 32 rows by default);
     * after the backward pass of each step in {@code poisoned}, {@code poison} is added to the
     * layer's weight gradient; at step {@code nanLossStep} (if positive) the batch's inputs are NaN;
     * from epoch {@code explodeFromEpoch} (0-based) on, a million is added to every batch loss.
     */
    private static Run train(Set<Integer> poisoned, float poison, int nanLossStep) {
        return train(poisoned, poison, nanLossStep, 32);
    }

    private static Run train(Set<Integer> poisoned, float poison, int nanLossStep, int batchSize) {
        return train(poisoned, poison, nanLossStep, batchSize, Integer.MAX_VALUE);
    }

    private static Run train(Set<Integer> poisoned, float poison, int nanLossStep, int batchSize,
            int explodeFromEpoch) {
        return train(poisoned, poison, nanLossStep, batchSize, explodeFromEpoch, false);
    }

    private static Run train(Set<Integer> poisoned, float poison, int nanLossStep, int batchSize,
            int explodeFromEpoch, boolean transientFault) {
        return train(poisoned, poison, nanLossStep, batchSize, explodeFromEpoch, transientFault, false);
    }

    /**
     * As above; a {@code transientFault} poisons only the first backward pass of each poisoned step;
     * {@code zeroAll} sets every gradient of a poisoned step to zero instead.
     */
    private static Run train(Set<Integer> poisoned, float poison, int nanLossStep, int batchSize,
            int explodeFromEpoch, boolean transientFault, boolean zeroAll) {
        Set<Integer> poisonedOnce = new java.util.HashSet<>();
        Engine.getInstance().setRandomSeed(3);
        Random random = new Random(5);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            float[] row = new float[WIDTH];
            for (int j = 0; j < W.length; j++) {
                row[j] = (float) random.nextGaussian();
                row[WIDTH - 1] += W[j] * row[j];
            }
            rows.add(row);
        }
        StringBuilder log = new StringBuilder();
        List<long[]> advances = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int[] step = {0};
        try (Model model = Model.newInstance("linear")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            TrainingLoop.Settings settings = new TrainingLoop.Settings(30, batchSize, 7, 10, "nats/row");
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(AnnealedAdam.create(0.05, settings.totalSteps(rows.size())));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize, W.length));
                TrainingLoop loop = new TrainingLoop(settings, new Progress() {
                    @Override
                    public void accept(String line) {
                        log.append(line).append('\n');
                    }

                    @Override
                    public void advance(long done, long total, String unit, String note) {
                        assertEquals("steps", unit);
                        advances.add(new long[] {done, total});
                        notes.add(note);
                    }
                })
                        .afterBackward((s, t) -> {
                            if (poisoned.contains(s) && zeroAll) {
                                for (Parameter p : t.getModel().getBlock().getParameters().values()) {
                                    try (NDArray gradient = p.getArray().getGradient()) {
                                        gradient.muli(0);
                                    }
                                }
                            } else if (poisoned.contains(s) && (!transientFault || poisonedOnce.add(s))) {
                                Parameter weight = t.getModel().getBlock().getParameters().get("weight");
                                try (NDArray gradient = weight.getArray().getGradient()) {
                                    gradient.addi(poison);
                                }
                            }
                        });
                TrainingLoop.Result result = loop.run(trainer, EpochRows.fixed(rows), WIDTH, (t, batch, epoch) -> {
                    step[0]++;
                    NDArray x = batch.get(":, 0:" + W.length);
                    if (step[0] == nanLossStep) {
                        x = x.add(Float.NaN);
                    }
                    NDArray y = batch.get(":, " + W.length + ":");
                    NDArray predicted = t.forward(new NDList(x)).singletonOrThrow();
                    NDArray loss = predicted.sub(y).square().mean();
                    return epoch >= explodeFromEpoch ? loss.add(1e6f) : loss;
                });
                return new Run(result, log.toString(), advances, notes);
            }
        }
    }
}
