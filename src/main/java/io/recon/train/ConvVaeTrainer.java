package io.recon.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

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
import io.recon.model.ConvVaeBlock;

/**
 * Trains a {@link ConvVaeBlock} with Adam on the negative ELBO, with a linear KL warm-up. The
 * images of each epoch come from an {@link EpochImages}, so a caller can show the network freshly
 * augmented copies every epoch (a single CT volume has only ~100 slices).
 */
final class ConvVaeTrainer {

    /** The training images of one epoch. */
    @FunctionalInterface
    interface EpochImages {
        /** Images for epoch {@code epoch} (0-based), each side x side pixels in [0,1]. */
        List<float[]> forEpoch(int epoch);

        /** The same images every epoch. */
        static EpochImages fixed(List<float[]> images) {
            return epoch -> images;
        }
    }

    /** A trained model and the mean loss of its last epoch, in nats per image. */
    record Result(Model model, double finalLoss) {
    }

    private final PrintStream out;

    ConvVaeTrainer(PrintStream out) {
        this.out = out;
    }

    /** Trains a new model named {@code name}; the caller closes it. */
    Result train(String name, EpochImages images, ConvVaeSettings s, Device device) {
        Engine.getInstance().setRandomSeed((int) s.seed());
        Model model = Model.newInstance(name, device);
        ConvVaeBlock block = s.newBlock();
        model.setBlock(block);
        ConvVaeBlock.NegativeElbo loss = new ConvVaeBlock.NegativeElbo(s.likelihood());
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed((float) s.learningRate()))
                        .optClipGrad(5f)
                        .build())
                .optDevices(new Device[] {device});
        int width = block.pixels();
        Random shuffle = new Random(s.seed());
        double epochLoss = Double.NaN;
        // Shuffled in place every epoch (each permutation builds on the last), as before the
        // trainer was extracted, so that retraining a bundle reproduces it.
        List<Integer> order = new ArrayList<>();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(s.batchSize(), width));
            for (int epoch = 0; epoch < s.epochs(); epoch++) {
                List<float[]> epochImages = images.forEpoch(epoch);
                if (epochImages.size() < s.batchSize()) {
                    throw new IllegalArgumentException("need at least " + s.batchSize() + " training images, got "
                            + epochImages.size());
                }
                float beta = s.klWeight(epoch);
                if (order.size() != epochImages.size()) {
                    order.clear();
                    for (int i = 0; i < epochImages.size(); i++) {
                        order.add(i);
                    }
                }
                Collections.shuffle(order, shuffle);
                double sum = 0;
                int seen = 0;
                // Drop the last partial batch: every step sees the same batch size.
                for (int start = 0; start + s.batchSize() <= order.size(); start += s.batchSize()) {
                    float[] flat = new float[s.batchSize() * width];
                    for (int b = 0; b < s.batchSize(); b++) {
                        System.arraycopy(epochImages.get(order.get(start + b)), 0, flat, b * width, width);
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.create(flat, new Shape(s.batchSize(), width));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(new NDList(x));
                            NDArray batchLoss = loss.evaluate(x, predictions, beta);
                            collector.backward(batchLoss);
                            sum += batchLoss.getFloat() * s.batchSize();
                            seen += s.batchSize();
                        }
                        trainer.step();
                    }
                }
                epochLoss = sum / seen;
                if (!Double.isFinite(epochLoss)) {
                    throw new IllegalStateException("training diverged at epoch " + (epoch + 1) + " (loss "
                            + epochLoss + "); lower the learning rate");
                }
                if ((epoch + 1) % 5 == 0 || epoch == 0 || epoch + 1 == s.epochs()) {
                    out.printf("  epoch %3d/%d  KL weight %.2f  -ELBO %.2f nats/image%n", epoch + 1, s.epochs(), beta,
                            epochLoss);
                }
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new Result(model, epochLoss);
    }
}
