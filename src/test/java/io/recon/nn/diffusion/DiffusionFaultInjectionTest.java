package io.recon.nn.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.recon.nn.SyntheticTable;

/**
 * NaN written into a real gradient of the denoiser (what a faulty libtorch kernel does): those
 * steps are skipped and counted in the model's training report, and no NaN reaches a weight.
 */
@Tag("plain-djl")
@Tag("training")
class DiffusionFaultInjectionTest {

    @Test
    void poisonedStepsAreSkippedAndCounted() {
        SyntheticTable table = SyntheticTable.of(100, 2);
        List<String> log = new ArrayList<>();
        TabularDiffusion.Settings settings = TabularDiffusion.Settings.defaults().withEpochs(3).withBatchSize(50)
                .withSeed(5).withSampling(10, 0);
        try (TabularDiffusion model = TabularDiffusion.train(table.rows, table.classOfRow, settings, log::add,
                (step, trainer) -> {
                    if (Set.of(2, 5).contains(step)) {
                        Pair<String, Parameter> first = trainer.getModel().getBlock().getParameters().get(0);
                        try (NDArray gradient = first.getValue().getArray().getGradient()) {
                            gradient.addi(Float.NaN);
                        }
                    }
                })) {
            TabularDiffusion.TrainingReport report = model.training().orElseThrow();
            assertEquals(2, report.skippedSteps().skipped(), String.join("\n", log));
            assertEquals(List.of(2, 5), report.skippedSteps().first().stream().map(s -> s.step()).toList());
            assertEquals(12, report.skippedSteps().steps(), "3 epochs of 200 rows in batches of 50");
            assertTrue(Double.isFinite(report.finalLoss()));
            for (double v : model.sample("a", 50, 1).numbers(0)) {
                assertTrue(Double.isFinite(v), "NaN reached the denoiser");
            }
            for (String proto : model.sample("b", 50, 1).cells(2)) {
                assertTrue(Set.of("tcp", "udp", "icmp").contains(proto), proto);
            }
        }
    }
}
