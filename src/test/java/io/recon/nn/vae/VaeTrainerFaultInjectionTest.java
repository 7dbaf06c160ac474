package io.recon.nn.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/**
 * The tabular VAE trainer with a NaN written into a real gradient at chosen steps (what a faulty
 * kernel does), on any CPU: those steps are skipped and counted, the weights stay finite and the
 * run ends where a clean run ends.
 */
@Tag("plain-djl")
@Tag("training")
class VaeTrainerFaultInjectionTest {

    @Test
    void poisonedStepsAreSkippedAndTheRunStillConverges() {
        List<float[]> rows = correlatedRows(2_000);
        VaeArchitecture arch = new VaeArchitecture(6, List.of(32, 16), 3, -4.6);
        VaeTrainer.Settings settings = new VaeTrainer.Settings(12, 64, 1e-3, 3, 42);
        StringBuilder log = new StringBuilder();
        VaeTrainer.Result clean = VaeTrainer.train("clean", arch, rows, settings, Device.cpu(), line -> { });
        clean.model().close();
        VaeTrainer.Result faulty = VaeTrainer.train("faulty", arch, rows, settings, Device.cpu(),
                line -> log.append(line).append('\n'), (step, trainer) -> {
                    if (step == 5 || step == 77 || step == 200) {
                        Parameter first = trainer.getModel().getBlock().getParameters().valueAt(0);
                        try (NDArray gradient = first.getArray().getGradient()) {
                            gradient.addi(Float.NaN);
                        }
                    }
                });
        try (var model = faulty.model()) {
            assertEquals(3, faulty.skippedSteps().skipped(), log.toString());
            assertEquals(List.of(5, 77, 200), faulty.skippedSteps().first().stream().map(s -> s.step()).toList());
            assertEquals(clean.skippedSteps().steps(), faulty.skippedSteps().steps());
            for (var p : model.getBlock().getParameters()) {
                assertTrue(!p.getValue().getArray().isNaN().any().getBoolean(), "NaN reached " + p.getKey());
            }
            assertTrue(Double.isFinite(faulty.finalLoss()), log.toString());
            // Three of 372 steps missing: the final loss is the clean run's, give or take a nat per row.
            assertEquals(clean.finalLoss(), faulty.finalLoss(), 1.0, log.toString());
            assertTrue(faulty.finalLoss() < 8, "6 correlated standardised features fit well: " + faulty.finalLoss());
            assertTrue(log.toString().contains("3 of 372 optimiser steps skipped"), log.toString());
        }
    }

    /** Standardised rows of 6 features driven by 2 hidden factors plus a little noise. */
    private static List<float[]> correlatedRows(int n) {
        Random random = new Random(9);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            rows.add(new float[] {(float) a, (float) b, (float) (a + b) / 1.41f, (float) (a - b) / 1.41f,
                (float) (0.8 * a + 0.6 * random.nextGaussian()), (float) (0.1 * random.nextGaussian())});
        }
        return rows;
    }
}
