package io.recon.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.recon.model.NegativeElboLoss;
import io.recon.model.VaeArchitecture;
import io.recon.model.VaeBlock;

/**
 * Fits a {@link VaeBlock} to normal rows by minimising the negative ELBO with Adam, in
 * shuffled mini-batches, with the KL weight warmed up from 0 to 1.
 */
public final class VaeTrainer {

    /**
     * @param epochs         passes over the rows
     * @param batchSize      rows per step
     * @param learningRate   Adam step size
     * @param klWarmupEpochs epochs over which the KL weight rises linearly to 1
     * @param seed           seed of initialisation, shuffling and sampling
     */
    public record Settings(int epochs, int batchSize, double learningRate, int klWarmupEpochs, long seed) {
    }

    /**
     * @param model     the trained model (caller closes it)
     * @param finalLoss mean negative ELBO over the last epoch
     * @param seconds   wall time
     */
    public record Result(Model model, double finalLoss, double seconds) {
    }

    private VaeTrainer() {
    }

    /** Trains a new model named {@code name} on {@code rows}. */
    public static Result train(String name, VaeArchitecture architecture, List<float[]> rows, Settings settings,
            Device device, Consumer<String> progress) {
        if (rows.size() < settings.batchSize()) {
            throw new IllegalArgumentException("need at least " + settings.batchSize() + " training rows, got "
                    + rows.size());
        }
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed((int) settings.seed());
        Model model = Model.newInstance(name, device);
        model.setBlock(new VaeBlock(architecture));
        NegativeElboLoss loss = new NegativeElboLoss();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                        .optClipGrad(5f)
                        .build())
                .optDevices(new Device[] {device});
        int width = architecture.inputSize();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            order.add(i);
        }
        Random shuffle = new Random(settings.seed());
        double epochLoss = Double.NaN;
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(settings.batchSize(), width));
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                float beta = Math.min(1f, (epoch + 1f) / Math.max(1, settings.klWarmupEpochs()));
                Collections.shuffle(order, shuffle);
                double sum = 0;
                int seen = 0;
                // Drop the last partial batch: every step sees the same batch size.
                for (int start = 0; start + settings.batchSize() <= order.size(); start += settings.batchSize()) {
                    float[] flat = new float[settings.batchSize() * width];
                    for (int b = 0; b < settings.batchSize(); b++) {
                        System.arraycopy(rows.get(order.get(start + b)), 0, flat, b * width, width);
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.create(flat, new Shape(settings.batchSize(), width));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(new NDList(x));
                            NDArray batchLoss = NegativeElboLoss.evaluate(x, predictions, beta);
                            collector.backward(batchLoss);
                            sum += batchLoss.getFloat() * settings.batchSize();
                            seen += settings.batchSize();
                        }
                        trainer.step();
                    }
                }
                epochLoss = sum / seen;
                if (!Double.isFinite(epochLoss)) {
                    throw new IllegalStateException("training diverged at epoch " + (epoch + 1)
                            + " (loss " + epochLoss + "); lower the learning rate");
                }
                if ((epoch + 1) % 10 == 0 || epoch == 0 || epoch + 1 == settings.epochs()) {
                    progress.accept(String.format("epoch %3d/%d  KL weight %.2f  -ELBO %.4f", epoch + 1,
                            settings.epochs(), beta, epochLoss));
                }
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new Result(model, epochLoss, (System.nanoTime() - started) / 1e9);
    }
}
