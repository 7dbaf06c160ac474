package io.recon.nn.vae;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import io.recon.nn.AnnealedAdam;
import io.recon.nn.EpochRows;
import io.recon.nn.SkippedSteps;
import io.recon.nn.TrainingLoop;
import io.recon.progress.Progress;

/**
 * Fits a {@link VaeBlock} to normal rows by minimising the negative ELBO with Adam, in
 * shuffled mini-batches, with the KL weight warmed up from 0 to 1, through the shared
 * {@link TrainingLoop}.
 */
public final class VaeTrainer {

    /**
     * @param epochs         passes over the rows
     * @param batchSize      rows per step
     * @param learningRate   Adam step size
     * @param klWarmupEpochs epochs over which the KL weight rises linearly to 1
     * @param seed           seed of initialisation, shuffling and sampling
     * @param maxGradientNorm each step's gradients scaled down to this joint L2 norm where they exceed
     *                        it ({@link io.recon.nn.GradientNormClip}); 0: no limit
     */
    public record Settings(int epochs, int batchSize, double learningRate, int klWarmupEpochs, long seed,
            double maxGradientNorm) {

        /** Settings without a gradient norm limit. */
        public Settings(int epochs, int batchSize, double learningRate, int klWarmupEpochs, long seed) {
            this(epochs, batchSize, learningRate, klWarmupEpochs, seed, 0);
        }

        /** The KL weight in epoch {@code epoch} (0-based): linear warm-up to 1. */
        public float klWeight(int epoch) {
            return NegativeElboLoss.warmupWeight(epoch, klWarmupEpochs);
        }
    }

    /**
     * @param model        the trained model (caller closes it)
     * @param finalLoss    mean negative ELBO over the last epoch
     * @param seconds      wall time
     * @param skippedSteps optimiser steps taken and skipped for non-finite gradients
     * @param clippedSteps optimiser steps whose gradients were scaled down to the norm limit
     */
    public record Result(Model model, double finalLoss, double seconds, SkippedSteps skippedSteps, int clippedSteps) {
    }

    private VaeTrainer() {
    }

    /** Trains a new model named {@code name} on {@code rows}. */
    public static Result train(String name, VaeArchitecture architecture, List<float[]> rows, Settings settings,
            Device device, Progress progress) {
        return train(name, architecture, rows, settings, device, progress, (step, trainer) -> { });
    }

    /** As {@link #train(String, VaeArchitecture, List, Settings, Device, Consumer)}, with a hook after each backward pass. */
    static Result train(String name, VaeArchitecture architecture, List<float[]> rows, Settings settings,
            Device device, Progress progress, TrainingLoop.AfterBackward afterBackward) {
        Engine.getInstance().setRandomSeed((int) settings.seed());
        Model model = Model.newInstance(name, device);
        model.setBlock(new VaeBlock(architecture));
        TrainingLoop.Settings loopSettings = new TrainingLoop.Settings(settings.epochs(), settings.batchSize(),
                settings.seed(), 10, "nats/row");
        TrainingLoop loop = new TrainingLoop(loopSettings, progress).afterBackward(afterBackward)
                .clipGradientNorm(settings.maxGradientNorm());
        DefaultTrainingConfig config = new DefaultTrainingConfig(new NegativeElboLoss())
                .optOptimizer(AnnealedAdam.create(settings.learningRate(), loopSettings.totalSteps(rows.size())))
                .optDevices(new Device[] {device});
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(settings.batchSize(), architecture.inputSize()));
            TrainingLoop.Result result = loop.run(trainer, EpochRows.fixed(rows), architecture.inputSize(),
                    new TrainingLoop.BatchLoss() {
                        @Override
                        public NDArray loss(Trainer t, NDArray x, int epoch) {
                            return NegativeElboLoss.evaluate(x, t.forward(new NDList(x)),
                                    settings.klWeight(epoch));
                        }

                        @Override
                        public String describeEpoch(int epoch) {
                            return String.format(Locale.ROOT, "KL weight %.2f", settings.klWeight(epoch));
                        }
                    });
            return new Result(model, result.finalLoss(), result.seconds(), result.skippedSteps(),
                    result.clippedSteps());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
