package io.recon.nn.explainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.recon.nn.AnnealedAdam;
import io.recon.nn.BatchInput;
import io.recon.nn.EpochRows;
import io.recon.nn.SkippedSteps;
import io.recon.nn.TrainingLoop;
import io.recon.progress.Progress;

/**
 * The masked-patch transformer ({@link MaskedPatchBlock}) trained on normal images, and what it says
 * of an image: each patch hidden in turn and predicted from the rest, giving every pixel a surprise
 * (its negative log-likelihood under that prediction) and the value normal tissue around it would
 * have had. Where an image differs from what its surroundings imply (a lesion), the surprise is
 * high; where a structure is merely hard to predict (a bone edge), the predicted spread is wide.
 */
public final class MaskedPatchModel implements AutoCloseable {

    /** Images per network call when explaining. */
    private static final int IMAGES_PER_CALL = 16;

    /**
     * @param patch         patch side in pixels
     * @param epochs        passes over the training images
     * @param batchSize     images per optimiser step
     * @param learningRate  Adam's peak learning rate (annealed)
     * @param tokenWidth    width of a token
     * @param layers        encoder layers (one explains an image in one pass)
     * @param heads         attention heads
     * @param maskRate      share of patches hidden per training image (at least one)
     * @param seed          seed of initialisation, shuffling and masks
     * @param progressEvery progress line every this many epochs
     */
    public record Settings(int patch, int epochs, int batchSize, double learningRate, int tokenWidth, int layers,
            int heads, double maskRate, long seed, int progressEvery) {

        /** Rejects settings no run can use. */
        public Settings {
            if (patch < 1 || epochs < 1 || batchSize < 1 || tokenWidth < 1 || layers < 1 || heads < 1
                    || progressEvery < 1) {
                throw new IllegalArgumentException("patch, epochs, batch size, token width, layers, heads and "
                        + "progress interval must be positive");
            }
            if (!(maskRate > 0 && maskRate < 1)) {
                throw new IllegalArgumentException("mask rate must lie strictly between 0 and 1, got " + maskRate);
            }
        }
    }

    /**
     * What the model says of one image, pixel by pixel, each pixel's patch hidden.
     *
     * @param surprise negative log-likelihood of each pixel, nats
     * @param expected the predicted value
     * @param spread   the predicted standard deviation
     */
    public record Explanation(float[] surprise, float[] expected, float[] spread) {

        /** (x - expected) / spread per pixel: how far each pixel lies from its prediction, in its own spread. */
        public float[] standardisedResidual(float[] image) {
            float[] z = new float[image.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = (image[i] - expected[i]) / spread[i];
            }
            return z;
        }
    }

    private final Model model;
    private final MaskedPatchBlock block;
    private final SkippedSteps skippedSteps;
    private final double finalLoss;

    private MaskedPatchModel(Model model, SkippedSteps skippedSteps, double finalLoss) {
        this.model = model;
        this.block = (MaskedPatchBlock) model.getBlock();
        this.skippedSteps = skippedSteps;
        this.finalLoss = finalLoss;
    }

    /**
     * Trains on normal images of {@code side x side} pixels (values on the model's 0..1 scale), drawn
     * afresh each epoch by {@code images} (augmentation), through the shared guarded loop; masks are
     * drawn in Java, so a seed hides the same patches on every CPU.
     */
    public static MaskedPatchModel train(int side, EpochRows images, Settings s, Progress progress) {
        if (images.rowsPerEpoch() < s.batchSize()) {
            throw new IllegalArgumentException(images.rowsPerEpoch() + " images are fewer than one batch of "
                    + s.batchSize());
        }
        Engine.getInstance().setRandomSeed((int) s.seed());
        Model model = Model.newInstance("masked-patch-transformer");
        MaskedPatchBlock block = new MaskedPatchBlock(side, s.patch(), s.tokenWidth(), s.layers(), s.heads());
        model.setBlock(block);
        TrainingLoop.Settings loop = new TrainingLoop.Settings(s.epochs(), s.batchSize(), s.seed(), s.progressEvery(),
                "nats/masked patch");
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(AnnealedAdam.create(s.learningRate(), loop.totalSteps(images.rowsPerEpoch())));
        Random masks = new Random(s.seed() + 1);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(s.batchSize(), (long) side * side), new Shape(s.batchSize(), block.patches()));
            TrainingLoop.Result result = new TrainingLoop(loop, progress).run(trainer, images, side * side,
                    (t, batch, epoch) -> MaskedTokenLoss.of(t, batch, block.patches(), s.maskRate(), masks));
            return new MaskedPatchModel(model, result.skippedSteps(), result.finalLoss());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Every pixel of every image judged with its patch hidden. */
    public List<Explanation> explain(List<float[]> images) {
        int pixels = block.side() * block.side();
        List<Explanation> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += IMAGES_PER_CALL) {
            int n = Math.min(IMAGES_PER_CALL, images.size() - start);
            float[] batch = BatchInput.flatten(images, start, n, pixels, "image", pixels + " pixels");
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDList r = block.explainEach(new ParameterStore(scope, false), scope.create(batch,
                        new Shape(n, pixels)));
                float[] nll = r.get(0).toFloatArray();
                float[] mean = r.get(1).toFloatArray();
                float[] sd = r.get(2).toFloatArray();
                for (int i = 0; i < n; i++) {
                    int from = i * pixels;
                    out.add(new Explanation(slice(nll, from, pixels), slice(mean, from, pixels),
                            slice(sd, from, pixels)));
                }
            }
        }
        return out;
    }

    private static float[] slice(float[] all, int from, int length) {
        float[] out = new float[length];
        System.arraycopy(all, from, out, 0, length);
        return out;
    }

    /**
     * Writes the parameters to {@code dir} as {@code <prefix>-0000.params}.
     *
     * @throws UncheckedIOException when the folder cannot be written
     */
    public void save(Path dir, String prefix) {
        try {
            model.save(dir, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the patch transformer's parameters to " + dir, e);
        }
    }

    /**
     * Reads parameters written by {@link #save} into a network for {@code side x side} images.
     *
     * @throws IllegalArgumentException when they do not fit that network
     */
    public static MaskedPatchModel load(Path dir, String prefix, int side, Settings s, Device device) {
        Model model = Model.newInstance("masked-patch-transformer", device);
        try {
            model.setBlock(new MaskedPatchBlock(side, s.patch(), s.tokenWidth(), s.layers(), s.heads()));
            model.load(dir, prefix);
            return new MaskedPatchModel(model, new SkippedSteps(0, 0, List.of()), Double.NaN);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("Cannot read the patch transformer's parameters in " + dir, e);
        } catch (MalformedModelException e) {
            model.close();
            throw new IllegalArgumentException("the parameters in " + dir + " do not fit a patch transformer of "
                    + side + "x" + side + " images, " + s.patch() + "-pixel patches, width " + s.tokenWidth() + ", "
                    + s.layers() + " layers: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Image side it reads. */
    public int side() {
        return block.side();
    }

    /** The network (tests compare {@link MaskedPatchBlock#explainEach} with its plain forward pass). */
    MaskedPatchBlock block() {
        return block;
    }

    /** Optimiser steps taken and skipped in training. */
    public SkippedSteps skippedSteps() {
        return skippedSteps;
    }

    /** Mean masked-patch negative log-likelihood of the last epoch. */
    public double finalLoss() {
        return finalLoss;
    }

    @Override
    public void close() {
        model.close();
    }
}
