package io.recon.nn.vae;

import java.io.PrintStream;
import java.util.Locale;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.recon.nn.AnnealedAdam;
import io.recon.nn.EpochRows;
import io.recon.nn.SkippedSteps;
import io.recon.nn.TrainingLoop;
import io.recon.progress.ProgressMeter;

/**
 * Trains a {@link ConvVaeBlock} (or a two-level {@link HierarchicalConvVaeBlock}) with annealed Adam on
 * the negative ELBO, with a linear KL warm-up, through the shared {@link TrainingLoop}. The images of
 * each epoch come from an {@link EpochRows}, so a caller can show the network freshly augmented copies
 * every epoch.
 */
public final class ConvVaeTrainer {

    /**
     * A trained model, the mean loss of its last epoch in nats per image, and its skipped steps.
     */
    public record Result(Model model, double finalLoss, SkippedSteps skippedSteps) {
    }

    private final PrintStream out;

    public ConvVaeTrainer(PrintStream out) {
        this.out = out;
    }

    /** Trains a new model named {@code name}; the caller closes it. */
    public Result train(String name, EpochRows images, ConvVaeSettings s, Device device) {
        ConvVaeBlock.NegativeElbo loss = new ConvVaeBlock.NegativeElbo(s.likelihood());
        return train(name, images, s, device, s.newBlock(), loss, loss::evaluate);
    }

    /**
     * Trains a new two-level model ({@link HierarchicalConvVaeBlock}) named {@code name}, its bottom
     * level of the settings' geometry and latent size, its upper latent of {@code upperLatent}
     * dimensions; the caller closes it.
     */
    public Result trainHierarchical(String name, EpochRows images, ConvVaeSettings s, int upperLatent,
            Device device) {
        HierarchicalConvVaeBlock.NegativeElbo loss = new HierarchicalConvVaeBlock.NegativeElbo(s.likelihood());
        return train(name, images, s, device, new HierarchicalConvVaeBlock(s.newBlock(), upperLatent), loss,
                loss::evaluate);
    }

    /** A negative ELBO of a batch of flat images given the block's training outputs and the KL weight. */
    @FunctionalInterface
    private interface WeightedElbo {
        NDArray evaluate(NDArray x, NDList predictions, float klWeight);
    }

    private Result train(String name, EpochRows images, ConvVaeSettings s, Device device, Block block, Loss loss,
            WeightedElbo objective) {
        Engine.getInstance().setRandomSeed((int) s.seed());
        Model model = Model.newInstance(name, device);
        model.setBlock(block);
        int pixels = s.side() * s.side();
        TrainingLoop.Settings loopSettings = new TrainingLoop.Settings(s.epochs(), s.batchSize(), s.seed(), 5, "nats/image");
        // A bar with rate and ETA on a terminal, a plain line now and then in logs.
        ProgressMeter progress = ProgressMeter.forConsole(out);
        TrainingLoop loop = new TrainingLoop(loopSettings, progress);
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(AnnealedAdam.create(s.learningRate(), loopSettings.totalSteps(images.rowsPerEpoch())))
                .optDevices(new Device[] {device});
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(s.batchSize(), pixels));
            TrainingLoop.Result result = loop.run(trainer, images, pixels, new TrainingLoop.BatchLoss() {
                @Override
                public NDArray loss(Trainer t, NDArray x, int epoch) {
                    return objective.evaluate(x, t.forward(new NDList(x)), s.klWeight(epoch));
                }

                @Override
                public String describeEpoch(int epoch) {
                    return String.format(Locale.ROOT, "KL weight %.2f", s.klWeight(epoch));
                }
            });
            return new Result(model, result.finalLoss(), result.skippedSteps());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        } finally {
            progress.finish();
        }
    }
}
