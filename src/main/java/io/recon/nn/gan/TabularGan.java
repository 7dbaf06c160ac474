package io.recon.nn.gan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.data.FeatureRows;
import io.recon.nn.TabularGenerator;
import io.recon.progress.Progress;

/**
 * A conditional tabular GAN in the manner of CTGAN (Xu et al. 2019, "Modeling Tabular Data using
 * Conditional GAN"), conditioned on the row's class: mode-specific normalisation of numbers
 * ({@link ModeSpecificNormalizer}), one-hot categories, training by sampling over classes, a
 * residual generator with tanh and Gumbel-softmax outputs, a PacGAN critic, and the WGAN-GP
 * objective ({@link WganGpTrainer}).
 *
 * <p>Unlike CTGAN, the condition is the row's class, not a value of one of its columns, so there is
 * no cross-entropy term tying the generated column to the condition: the critic, which sees every
 * row with its class, is what makes the generator respect it. For that, each PacGAN pack holds rows
 * of one class (CTGAN's packs mix conditions, which here left the condition almost unlearned).
 *
 * <p>One critic step per generator step, as CTGAN with pac 10 (WGAN-GP's default is 5): on the
 * test table, 5 steps for 100 epochs and 1 step for 300 epochs took about the same time and came
 * about equally close to the real class-conditional statistics, and the cheaper critic gives the
 * generator three times the updates. Adam at a constant rate as in CTGAN, not {@code AnnealedAdam}:
 * the two losses chase each other, so there is no minimum late in training to settle into.
 */
public final class TabularGan implements TabularGenerator {

    /** The layout file of a saved model. */
    public static final String LAYOUT_FILE = "ctgan-layout.json";
    static final String GENERATOR = "ctgan-generator";
    static final String CRITIC = "ctgan-critic";
    /** Rows generated per forward pass when sampling. */
    private static final int SAMPLE_CHUNK = 1000;

    /**
     * @param epochs              passes, each of rows / batch size generator steps (at least one)
     * @param batchSize           rows per step, a multiple of {@code pac} (CTGAN: 500)
     * @param seed                seed of initialisation, encoding and every noise draw
     * @param criticSteps         critic steps per generator step (CTGAN with pac 10: 1; WGAN-GP: 5)
     * @param pac                 rows per critic pack (PacGAN; CTGAN: 10)
     * @param noiseSize           latent noise width (CTGAN: 128)
     * @param generatorHidden     units of the generator's residual layers (CTGAN: 256, 256)
     * @param criticHidden        units of the critic's hidden layers (CTGAN: 256, 256)
     * @param learningRate        Adam's step size for both networks (CTGAN: 2e-4)
     * @param weightDecay         Adam's L2 weight decay (CTGAN: 1e-6)
     * @param penaltyWeight       lambda of the gradient penalty (10)
     * @param gumbelTau           Gumbel-softmax temperature (CTGAN: 0.2)
     * @param progressEvery       progress line every this many epochs (and after the first and last)
     * @param maxConsecutiveSkips this many skipped steps in a row of either network stop the run
     */
    public record Settings(int epochs, int batchSize, long seed, int criticSteps, int pac, int noiseSize,
            List<Integer> generatorHidden, List<Integer> criticHidden, double learningRate, double weightDecay,
            double penaltyWeight, double gumbelTau, int progressEvery, int maxConsecutiveSkips) {

        /** Rejects settings no run can use. */
        public Settings {
            if (epochs < 1 || batchSize < 1 || criticSteps < 1 || pac < 1 || noiseSize < 1 || progressEvery < 1
                    || maxConsecutiveSkips < 1) {
                throw new IllegalArgumentException("epochs, batch size, critic steps, pac, noise size, progress "
                        + "interval and skip limit must be positive");
            }
            if (batchSize % pac != 0) {
                throw new IllegalArgumentException("batch size " + batchSize + " is not a multiple of pac " + pac);
            }
            if (!(learningRate > 0) || weightDecay < 0 || penaltyWeight < 0 || !(gumbelTau > 0)) {
                throw new IllegalArgumentException("learning rate and temperature must be positive, weight decay "
                        + "and penalty weight not negative");
            }
            generatorHidden = List.copyOf(generatorHidden);
            criticHidden = List.copyOf(criticHidden);
        }

        /** CTGAN's defaults: 300 epochs of batches of 500, pac 10, one critic step per generator step. */
        public static Settings defaults() {
            return new Settings(300, 500, 42, 1, 10, 128, List.of(256, 256), List.of(256, 256), 2e-4, 1e-6, 10,
                    0.2, 10, 25);
        }

        /** These settings with {@code n} epochs. */
        public Settings withEpochs(int n) {
            return new Settings(n, batchSize, seed, criticSteps, pac, noiseSize, generatorHidden, criticHidden,
                    learningRate, weightDecay, penaltyWeight, gumbelTau, progressEvery, maxConsecutiveSkips);
        }

        /** These settings with batches of {@code n} rows. */
        public Settings withBatchSize(int n) {
            return new Settings(epochs, n, seed, criticSteps, pac, noiseSize, generatorHidden, criticHidden,
                    learningRate, weightDecay, penaltyWeight, gumbelTau, progressEvery, maxConsecutiveSkips);
        }

        /** These settings with seed {@code s}. */
        public Settings withSeed(long s) {
            return new Settings(epochs, batchSize, s, criticSteps, pac, noiseSize, generatorHidden, criticHidden,
                    learningRate, weightDecay, penaltyWeight, gumbelTau, progressEvery, maxConsecutiveSkips);
        }

        /** These settings with {@code n} critic steps per generator step. */
        public Settings withCriticSteps(int n) {
            return new Settings(epochs, batchSize, seed, n, pac, noiseSize, generatorHidden, criticHidden,
                    learningRate, weightDecay, penaltyWeight, gumbelTau, progressEvery, maxConsecutiveSkips);
        }

        /** These settings with Adam step size {@code rate} for both networks. */
        public Settings withLearningRate(double rate) {
            return new Settings(epochs, batchSize, seed, criticSteps, pac, noiseSize, generatorHidden, criticHidden,
                    rate, weightDecay, penaltyWeight, gumbelTau, progressEvery, maxConsecutiveSkips);
        }

        /** These settings with a progress line every {@code n} epochs. */
        public Settings withProgressEvery(int n) {
            return new Settings(epochs, batchSize, seed, criticSteps, pac, noiseSize, generatorHidden, criticHidden,
                    learningRate, weightDecay, penaltyWeight, gumbelTau, n, maxConsecutiveSkips);
        }
    }

    private final RowCodec codec;
    private final List<String> classes;
    private final Settings settings;
    private final Model generator;
    private final Model critic;
    private final GanTrainingReport training;
    private final List<Span> spans;

    private TabularGan(RowCodec codec, List<String> classes, Settings settings, Model generator, Model critic,
            GanTrainingReport training) {
        this.codec = codec;
        this.classes = List.copyOf(classes);
        this.settings = settings;
        this.generator = generator;
        this.critic = critic;
        this.training = training;
        this.spans = codec.spans();
    }

    /**
     * Trains a GAN on {@code rows}, row i of class {@code classOfRow.get(i)}.
     *
     * @param progress receives a line per {@link Settings#progressEvery} epochs: critic and
     *                 generator loss, the Wasserstein estimate, elapsed time and ETA
     * @throws ai.djl.TrainingDivergedException when either network's steps keep failing the gradient check
     */
    public static TabularGan train(FeatureRows rows, List<String> classOfRow, Settings settings,
            Progress progress) {
        return train(rows, classOfRow, settings, progress, (network, step, block) -> { });
    }

    /** As {@link #train(FeatureRows, List, Settings, Consumer)}, with a hook after each backward pass (tests). */
    static TabularGan train(FeatureRows rows, List<String> classOfRow, Settings settings, Progress progress,
            WganGpTrainer.AfterBackward afterBackward) {
        if (classOfRow.size() != rows.size()) {
            throw new IllegalArgumentException(classOfRow.size() + " classes for " + rows.size() + " rows");
        }
        List<String> classes = classOfRow.stream().distinct().sorted().toList();
        int[] classIndex = classOfRow.stream().mapToInt(classes::indexOf).toArray();
        RowCodec codec = RowCodec.fit(rows);
        if (codec.width() == 0) {
            throw new IllegalArgumentException("every column is constant: nothing to learn");
        }
        // Modes are drawn once, as CTGAN transforms its table once; a stream apart from training's.
        Random modes = new Random(settings.seed() + 1);
        List<float[]> encoded = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            encoded.add(codec.encode(rows, r, modes));
        }
        progress.accept(String.format(Locale.ROOT, "CTGAN: %,d rows of %d columns (encoded width %d), %d classes, "
                + "%d epochs of %d steps", rows.size(), rows.width(), codec.width(), classes.size(), settings.epochs(),
                Math.max(1, rows.size() / settings.batchSize())));
        WganGpTrainer.Result result = new WganGpTrainer(settings, codec, classes.size(), progress, afterBackward)
                .train(encoded, classIndex);
        return new TabularGan(codec, classes, settings, result.generator(), result.critic(),
                result.report());
    }

    @Override
    public String kind() {
        return "ctgan";
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** The encoding of the training table's columns. */
    public RowCodec codec() {
        return codec;
    }

    /** The settings it was trained with. */
    public Settings settings() {
        return settings;
    }

    /** How training went: time, Wasserstein estimate, skipped steps; empty for a loaded model that lacks it. */
    public Optional<GanTrainingReport> training() {
        return Optional.ofNullable(training);
    }

    @Override
    public FeatureRows sample(String cls, int count, long seed) {
        int index = classes.indexOf(cls);
        if (index < 0) {
            throw new IllegalArgumentException("class '" + cls + "' was not trained on; classes: " + classes);
        }
        if (count < 0) {
            throw new IllegalArgumentException("cannot sample " + count + " rows");
        }
        Random random = new Random(seed);
        int width = codec.width();
        int noise = settings.noiseSize();
        GanGeneratorBlock block = (GanGeneratorBlock) generator.getBlock();
        List<String[]> rows = new ArrayList<>(count);
        for (int start = 0; start < count; start += SAMPLE_CHUNK) {
            int n = Math.min(SAMPLE_CHUNK, count - start);
            float[] cond = new float[n * classes.size()];
            for (int i = 0; i < n; i++) {
                cond[i * classes.size() + index] = 1f;
            }
            // Row by row, its latent noise then its Gumbel noise: a seed's i-th row is the same
            // whether 10 rows are asked for or 10,000 (up to float rounding in batched kernels).
            float[] z = new float[n * noise];
            float[] gumbel = new float[n * width];
            for (int i = 0; i < n; i++) {
                System.arraycopy(JavaNoise.gaussian(random, noise), 0, z, i * noise, noise);
                System.arraycopy(JavaNoise.gumbel(random, width), 0, gumbel, i * width, width);
            }
            try (NDManager scope = generator.getNDManager().newSubManager()) {
                NDArray input = NDArrays.concat(new NDList(scope.create(z, new Shape(n, noise)),
                        scope.create(cond, new Shape(n, classes.size()))), 1);
                // Inference mode: BatchNorm on its running statistics, so rows do not depend on their chunk-mates.
                NDArray raw = block.forward(new ParameterStore(scope, false), new NDList(input), false)
                        .singletonOrThrow();
                float[] activated = SpanActivation.activate(raw, scope.create(gumbel, new Shape(n, width)), spans,
                        (float) settings.gumbelTau()).toFloatArray();
                for (int i = 0; i < n; i++) {
                    float[] row = new float[width];
                    System.arraycopy(activated, i * width, row, 0, width);
                    rows.add(codec.decode(row));
                }
            }
        }
        return new FeatureRows(codec.names(), codec.numeric(), rows);
    }

    /**
     * Writes the generator's parameters, the critic's (when this model has it), and
     * {@value #LAYOUT_FILE} to {@code dir}.
     */
    public void save(Path dir, ObjectMapper mapper) {
        try {
            Files.createDirectories(dir);
            generator.save(dir, GENERATOR);
            if (critic != null) {
                critic.save(dir, CRITIC);
            }
            GanLayout layout = new GanLayout(GanLayout.FORMAT, kind(), classes, codec.columns(), settings,
                    critic != null, training);
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(LAYOUT_FILE).toFile(), layout);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the GAN to " + dir, e);
        }
    }

    /**
     * A model saved by {@link #save}: the generator only (all that sampling needs; the critic's
     * parameters, if saved, stay on disk).
     */
    public static TabularGan load(Path dir, ObjectMapper mapper) {
        GanLayout layout;
        try {
            layout = mapper.readValue(dir.resolve(LAYOUT_FILE).toFile(), GanLayout.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve(LAYOUT_FILE), e);
        }
        if (layout.format() != GanLayout.FORMAT || !"ctgan".equals(layout.kind())) {
            throw new IllegalArgumentException(dir + " holds a '" + layout.kind() + "' layout of format "
                    + layout.format() + ", not a CTGAN of format " + GanLayout.FORMAT);
        }
        RowCodec codec = new RowCodec(layout.columns());
        Settings settings = layout.settings();
        Model model = Model.newInstance(GENERATOR);
        try {
            GanGeneratorBlock block = new GanGeneratorBlock(settings.noiseSize() + layout.classes().size(),
                    settings.generatorHidden(), codec.width());
            model.setBlock(block);
            // Initialised first, so that the loaded model can be saved again (DJL cannot describe
            // the input of a block that loading alone set up).
            block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, settings.noiseSize() + layout.classes().size()));
            model.load(dir, GENERATOR);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("Cannot read the generator in " + dir, e);
        } catch (MalformedModelException e) {
            model.close();
            throw new IllegalArgumentException("the generator in " + dir + " does not fit its layout: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new TabularGan(codec, layout.classes(), settings, model, null, layout.training());
    }

    @Override
    public void close() {
        generator.close();
        if (critic != null) {
            critic.close();
        }
    }
}
