package io.recon.nn.diffusion;

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
 * Teaches the U-Net to predict noise (Ho et al. 2020, "simple" loss): for each image x0, scaled to
 * [-1, 1], a timestep t uniform in 1..T and noise e ~ N(0, I), the network sees
 * x_t = sqrt(alpha-bar_t) x0 + sqrt(1 - alpha-bar_t) e with t and is penalised by the mean squared
 * error of its guess of e. Timesteps and noise are drawn in Java, so a seed draws the same ones on
 * every CPU; the shared {@link TrainingLoop} guards every optimiser step. It is needed: with
 * libtorch's AVX-512 kernels on two threads, a backward pass now and then returns NaN gradients
 * from finite inputs and loss (step 1 or 2 of the short test runs; 1 of 360 steps, step 299, on 600
 * Fashion-MNIST images; never seen with one thread or AVX2 kernels, and not reproduced by any of
 * the U-Net's convolutions alone against float64); the step is skipped and counted.
 */
final class ImageDiffusionTrainer {

    /**
     * @param model        the trained U-Net (caller closes it)
     * @param finalLoss    mean noise-prediction MSE of the last epoch
     * @param seconds      wall time
     * @param skippedSteps optimiser steps taken and skipped
     */
    record Result(Model model, double finalLoss, double seconds, SkippedSteps skippedSteps) {
    }

    static final String NAME = "ddpm";

    private ImageDiffusionTrainer() {
    }

    /**
     * Trains on {@code scaled} images (pixels in [-1, 1], row-major side x side).
     *
     * @param afterBackward runs after each backward pass (fault-injection tests)
     */
    static Result train(List<float[]> scaled, ImageDiffusion.Settings settings, Progress progress,
            TrainingLoop.AfterBackward afterBackward) {
        int side = settings.side();
        CosineSchedule schedule = new CosineSchedule(settings.diffusionSteps());
        Engine.getInstance().setRandomSeed((int) settings.seed());
        Model model = Model.newInstance(NAME);
        model.setBlock(new UNetBlock(side, settings.baseChannels()));
        TrainingLoop.Settings loopSettings = new TrainingLoop.Settings(settings.epochs(), settings.batchSize(),
                settings.seed(), settings.progressEvery(), "MSE");
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss("noise-mse", 1))
                .optOptimizer(AnnealedAdam.create(settings.learningRate(), loopSettings.totalSteps(scaled.size())));
        Random noise = new Random(settings.seed() + 1);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(settings.batchSize(), 1, side, side),
                    new Shape(settings.batchSize(), TimestepEmbedding.WIDTH));
            TrainingLoop.Result result = new TrainingLoop(loopSettings, progress).afterBackward(afterBackward)
                    .run(trainer, EpochRows.fixed(scaled), side * side,
                            (t, batch, epoch) -> noisePredictionLoss(t, batch, side, schedule, noise));
            return new Result(model, result.finalLoss(), result.seconds(), result.skippedSteps());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static NDArray noisePredictionLoss(Trainer trainer, NDArray batch, int side, CosineSchedule schedule,
            Random random) {
        int n = (int) batch.getShape().get(0);
        int pixels = side * side;
        float[] clean = batch.toFloatArray();
        float[] noisy = new float[n * pixels];
        float[] noise = new float[n * pixels];
        float[] times = new float[n * TimestepEmbedding.WIDTH];
        for (int i = 0; i < n; i++) {
            int t = 1 + random.nextInt(schedule.steps());
            double signal = Math.sqrt(schedule.alphaBar(t));
            double spread = Math.sqrt(1 - schedule.alphaBar(t));
            for (int j = i * pixels; j < (i + 1) * pixels; j++) {
                float e = (float) random.nextGaussian();
                noise[j] = e;
                noisy[j] = (float) (signal * clean[j] + spread * e);
            }
            TimestepEmbedding.write(times, i * TimestepEmbedding.WIDTH, t);
        }
        NDManager manager = batch.getManager();
        NDArray predicted = trainer.forward(new NDList(manager.create(noisy, new Shape(n, 1, side, side)),
                manager.create(times, new Shape(n, TimestepEmbedding.WIDTH)))).singletonOrThrow();
        return trainer.getLoss().evaluate(new NDList(manager.create(noise, new Shape(n, 1, side, side))),
                new NDList(predicted));
    }
}
