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
 * The masked-feature transformer ({@link MaskedFeatureBlock}) trained on normal encoded rows, and
 * what it says of a row: each feature's <em>surprise</em>, the negative log-likelihood of its value
 * when it alone is hidden and the other features predict it, and what it expected instead (the
 * predicted mean of a number, in the row's standardised units). Summed, the surprises are an
 * anomaly score of their own.
 */
public final class MaskedFeatureModel implements AutoCloseable {

    /** Rows per network call when explaining: each row is repeated once per feature. */
    private static final int ROWS_PER_CALL = 64;
    /**
     * Up to this many rows a one-layer model explains in plain Java: a poll's few alerts cost DJL's
     * per-operation overhead, not arithmetic (explain-benchmark's many rows still go to DJL).
     */
    static final int PLAIN_JAVA_ROWS = 16;

    /**
     * @param epochs        passes over the rows
     * @param batchSize     rows per optimiser step
     * @param learningRate  Adam's initial step size (annealed over the run)
     * @param tokenWidth    width of a token
     * @param layers        encoder layers
     * @param heads         attention heads
     * @param maskRate      share of a row's features hidden in training (at least one per row)
     * @param seed          seed of initialisation, shuffling and masks
     * @param progressEvery a progress line every this many epochs
     */
    public record Settings(int epochs, int batchSize, double learningRate, int tokenWidth, int layers, int heads,
            double maskRate, long seed, int progressEvery) {

        /** Rejects settings no run can use. */
        public Settings {
            if (epochs < 1 || batchSize < 1 || tokenWidth < 1 || layers < 1 || heads < 1 || progressEvery < 1) {
                throw new IllegalArgumentException("epochs, batch size, token width, layers, heads and progress "
                        + "interval must be positive");
            }
            if (!(maskRate > 0 && maskRate < 1) || !(learningRate > 0)) {
                throw new IllegalArgumentException("the mask rate must be in (0, 1) and the learning rate positive");
            }
        }

        /** Two layers of 32-wide tokens with 4 heads, a quarter of the features hidden, 40 epochs of 256 rows. */
        public static Settings defaults() {
            return new Settings(40, 256, 1e-3, 32, 2, 4, 0.25, 42, 5);
        }

        /** These settings with {@code n} epochs. */
        public Settings withEpochs(int n) {
            return new Settings(n, batchSize, learningRate, tokenWidth, layers, heads, maskRate, seed, progressEvery);
        }

        /** These settings with batches of {@code n} rows. */
        public Settings withBatchSize(int n) {
            return new Settings(epochs, n, learningRate, tokenWidth, layers, heads, maskRate, seed, progressEvery);
        }
    }

    /**
     * What the model says of one row, each feature hidden alone and predicted from the others.
     *
     * @param surprise       each feature's negative log-likelihood, in nats
     * @param expected       each numeric feature's predicted mean in standardised units (0 for categories)
     * @param spread         each numeric feature's predicted standard deviation, same units (0 for categories)
     * @param likeliestSlot  each categorical feature's most likely category, as a slot of its one-hot
     *                       block (0 for numbers)
     * @param likeliestShare that category's predicted probability (meaningless for numbers)
     */
    public record Explanation(double[] surprise, double[] expected, double[] spread, int[] likeliestSlot,
            double[] likeliestShare) {

        /** The summed surprise: an anomaly score. */
        public double total() {
            double sum = 0;
            for (double s : surprise) {
                sum += s;
            }
            return sum;
        }
    }

    private final Model model;
    private final MaskedFeatureBlock block;
    private final PlainJavaFeatureExplainer plainJava;
    private final SkippedSteps skippedSteps;
    private final double finalLoss;

    private MaskedFeatureModel(Model model, SkippedSteps skippedSteps, double finalLoss) {
        this.model = model;
        this.block = (MaskedFeatureBlock) model.getBlock();
        this.plainJava = block.plainCopy().orElse(null);
        this.skippedSteps = skippedSteps;
        this.finalLoss = finalLoss;
    }

    /**
     * Trains on encoded normal {@code rows} (each {@code tokens.width()} long) through the shared,
     * guarded {@link TrainingLoop}; masks are drawn in Java, so a seed hides the same features on
     * every CPU.
     */
    public static MaskedFeatureModel train(FeatureTokens tokens, List<float[]> rows, Settings s,
            Progress progress) {
        if (rows.size() < s.batchSize()) {
            throw new IllegalArgumentException(rows.size() + " rows are fewer than one batch of " + s.batchSize());
        }
        Engine.getInstance().setRandomSeed((int) s.seed());
        Model model = Model.newInstance("masked-feature-transformer");
        model.setBlock(new MaskedFeatureBlock(tokens, s.tokenWidth(), s.layers(), s.heads()));
        TrainingLoop.Settings loop = new TrainingLoop.Settings(s.epochs(), s.batchSize(), s.seed(), s.progressEvery(),
                "nats/masked feature");
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(AnnealedAdam.create(s.learningRate(), loop.totalSteps(rows.size())));
        Random masks = new Random(s.seed() + 1);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(s.batchSize(), tokens.width()), new Shape(s.batchSize(), tokens.count()));
            TrainingLoop.Result result = new TrainingLoop(loop, progress).run(trainer, EpochRows.fixed(rows),
                    tokens.width(),
                    (t, batch, epoch) -> MaskedTokenLoss.of(t, batch, tokens.count(), s.maskRate(), masks));
            return new MaskedFeatureModel(model, result.skippedSteps(), result.finalLoss());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * What the model says of each row: every feature hidden in turn. A few rows of a one-layer model
     * are computed in plain Java, more in one network call per 64 rows; both give the same values to
     * float rounding ({@code PlainJavaFeatureExplainerTest}).
     */
    public List<Explanation> explain(List<float[]> rows) {
        if (plainJava != null && rows.size() <= PLAIN_JAVA_ROWS) {
            for (float[] row : rows) {
                if (row.length != block.tokens().width()) {
                    throw new IllegalArgumentException("row has " + row.length + " columns, expected "
                            + block.tokens().width());
                }
            }
            return plainJava.explain(rows);
        }
        return explainInDjl(rows);
    }

    /** {@link #explain} through DJL, whatever the number of rows. */
    List<Explanation> explainInDjl(List<float[]> rows) {
        FeatureTokens tokens = block.tokens();
        int f = tokens.count();
        int w = tokens.width();
        List<Explanation> out = new ArrayList<>(rows.size());
        for (int start = 0; start < rows.size(); start += ROWS_PER_CALL) {
            int n = Math.min(ROWS_PER_CALL, rows.size() - start);
            float[] batch = BatchInput.flatten(rows, start, n, w, "row", w + " columns");
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDList result = block.explainEach(new ParameterStore(scope, false),
                        scope.create(batch, new Shape(n, w)));
                float[] nll = result.get(0).toFloatArray();
                float[] mean = result.get(1).toFloatArray();
                float[] sd = result.get(2).toFloatArray();
                float[] column = result.get(3).toFloatArray();
                float[] share = result.get(4).toFloatArray();
                for (int r = 0; r < n; r++) {
                    double[] surprise = new double[f];
                    double[] expected = new double[f];
                    double[] spread = new double[f];
                    int[] slot = new int[f];
                    double[] slotShare = new double[f];
                    for (int k = 0; k < f; k++) {
                        int at = r * f + k;
                        surprise[k] = nll[at];
                        expected[k] = mean[at];
                        spread[k] = sd[at];
                        if (!tokens.numeric()[k]) {
                            slot[k] = Math.round(column[at]) - tokens.offsets()[k];
                            slotShare[k] = share[at];
                        }
                    }
                    out.add(new Explanation(surprise, expected, spread, slot, slotShare));
                }
            }
        }
        return out;
    }

    /**
     * Per row, an encoded row of what the model expected of each feature hidden alone: a number's
     * predicted mean, a category's likeliest slot as a one-hot block.
     */
    public List<float[]> expectedRows(List<float[]> rows) {
        FeatureTokens tokens = block.tokens();
        List<Explanation> said = explain(rows);
        List<float[]> out = new ArrayList<>(rows.size());
        for (Explanation e : said) {
            float[] row = new float[tokens.width()];
            for (int k = 0; k < tokens.count(); k++) {
                if (tokens.numeric()[k]) {
                    row[tokens.offsets()[k]] = (float) e.expected()[k];
                } else {
                    row[tokens.offsets()[k] + e.likeliestSlot()[k]] = 1f;
                }
            }
            out.add(row);
        }
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
            throw new UncheckedIOException("Cannot write the transformer's parameters to " + dir, e);
        }
    }

    /**
     * Reads parameters written by {@link #save} into a network of the given shape.
     *
     * @throws IllegalArgumentException when they do not fit that network
     */
    public static MaskedFeatureModel load(Path dir, String prefix, FeatureTokens tokens, Settings s, Device device) {
        Model model = Model.newInstance("masked-feature-transformer", device);
        try {
            model.setBlock(new MaskedFeatureBlock(tokens, s.tokenWidth(), s.layers(), s.heads()));
            model.load(dir, prefix);
            return new MaskedFeatureModel(model, new SkippedSteps(0, 0, List.of()), Double.NaN);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("Cannot read the transformer's parameters in " + dir, e);
        } catch (MalformedModelException e) {
            model.close();
            throw new IllegalArgumentException("the parameters in " + dir + " do not fit a transformer of "
                    + tokens.count() + " features, width " + s.tokenWidth() + ", " + s.layers() + " layers: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The features it reads. */
    public FeatureTokens tokens() {
        return block.tokens();
    }

    /** Optimiser steps taken and skipped in training. */
    public SkippedSteps skippedSteps() {
        return skippedSteps;
    }

    /** Mean masked-feature negative log-likelihood of the last epoch. */
    public double finalLoss() {
        return finalLoss;
    }

    @Override
    public void close() {
        model.close();
    }
}
