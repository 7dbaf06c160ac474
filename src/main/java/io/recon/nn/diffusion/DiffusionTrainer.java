package io.recon.nn.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.recon.nn.AnnealedAdam;
import io.recon.nn.EpochRows;
import io.recon.nn.SkippedSteps;
import io.recon.nn.TrainingLoop;
import io.recon.progress.Progress;

/**
 * Teaches the denoiser to predict noise (Ho et al. 2020, "simple" loss): for each encoded row x0 a
 * timestep t uniform in 1..T and noise e ~ N(0, I), the network sees
 * x_t = sqrt(alpha-bar_t) x0 + sqrt(1 - alpha-bar_t) e with t and the row's class, and is penalised
 * by the mean squared error of its guess of e. Runs on the shared {@link TrainingLoop}, so every
 * optimiser step is guarded against non-finite gradients.
 */
final class DiffusionTrainer {

    /**
     * @param model        the trained denoiser (caller closes it)
     * @param finalLoss    mean noise-prediction MSE of the last epoch
     * @param seconds      wall time
     * @param skippedSteps optimiser steps taken and skipped
     */
    record Result(Model model, double finalLoss, double seconds, SkippedSteps skippedSteps) {
    }

    static final String NAME = "tabddpm";

    private DiffusionTrainer() {
    }

    /**
     * Trains on {@code encoded} rows, row i of class {@code classIndex[i]} of {@code classes}.
     *
     * @param afterBackward runs after each backward pass (fault-injection tests)
     */
    static Result train(List<float[]> encoded, int[] classIndex, int classes, TabularDiffusion.Settings settings,
            Progress progress, TrainingLoop.AfterBackward afterBackward) {
        int rowWidth = encoded.get(0).length;
        DenoiserInput input = new DenoiserInput(rowWidth, classes);
        CosineSchedule schedule = new CosineSchedule(settings.diffusionSteps());
        // The loop hands out flat rows; the class rides along as one more float after the row.
        List<float[]> rows = new ArrayList<>(encoded.size());
        for (int r = 0; r < encoded.size(); r++) {
            float[] row = java.util.Arrays.copyOf(encoded.get(r), rowWidth + 1);
            row[rowWidth] = classIndex[r];
            rows.add(row);
        }
        Engine.getInstance().setRandomSeed((int) settings.seed());
        Model model = Model.newInstance(NAME);
        model.setBlock(DenoiserBlock.create(settings.hidden(), rowWidth));
        TrainingLoop.Settings loopSettings = new TrainingLoop.Settings(settings.epochs(), settings.batchSize(),
                settings.seed(), settings.progressEvery(), "MSE");
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss("noise-mse", 1))
                .optOptimizer(AnnealedAdam.create(settings.learningRate(), loopSettings.totalSteps(rows.size())));
        // Timesteps and noise come from Java, so a seed draws the same ones on every CPU.
        Random noise = new Random(settings.seed() + 1);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(settings.batchSize(), input.width()));
            TrainingLoop.Result result = new TrainingLoop(loopSettings, progress).afterBackward(afterBackward)
                    .run(trainer, EpochRows.fixed(rows), rowWidth + 1,
                            (t, batch, epoch) -> noisePredictionLoss(t, batch, input, schedule, noise));
            return new Result(model, result.finalLoss(), result.seconds(), result.skippedSteps());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static NDArray noisePredictionLoss(Trainer trainer, NDArray batch, DenoiserInput input,
            CosineSchedule schedule, Random random) {
        int n = (int) batch.getShape().get(0);
        int width = input.rowWidth();
        float[] flat = batch.toFloatArray();
        float[] assembled = new float[n * input.width()];
        float[] noise = new float[n * width];
        float[] noisy = new float[width];
        for (int i = 0; i < n; i++) {
            int from = i * (width + 1);
            int t = 1 + random.nextInt(schedule.steps());
            double signal = Math.sqrt(schedule.alphaBar(t));
            double spread = Math.sqrt(1 - schedule.alphaBar(t));
            for (int j = 0; j < width; j++) {
                float e = (float) random.nextGaussian();
                noise[i * width + j] = e;
                noisy[j] = (float) (signal * flat[from + j] + spread * e);
            }
            input.assemble(assembled, i, noisy, 0, t, (int) flat[from + width]);
        }
        NDManager manager = batch.getManager();
        NDArray predicted = trainer.forward(new NDList(manager.create(assembled, new Shape(n, input.width()))))
                .singletonOrThrow();
        return trainer.getLoss().evaluate(new NDList(manager.create(noise, new Shape(n, width))),
                new NDList(predicted));
    }
}
