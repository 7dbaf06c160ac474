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
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.nn.ImageGenerator;
import io.recon.progress.Progress;

/**
 * A DCGAN (Radford et al. 2016, "Unsupervised Representation Learning with Deep Convolutional
 * Generative Adversarial Networks") of square grayscale images, 28x28 or 64x64: a convolutional
 * generator with BatchNorm and ReLU ({@link DcganGeneratorBlock}), a strided-convolution
 * discriminator with LeakyReLU ({@link DcganDiscriminatorBlock}), the non-saturating GAN loss and
 * Adam with beta1 0.5 ({@link DcganTrainer}). Unconditional: one model per kind of image.
 *
 * <p>Adapted: pixels in [0, 1] through a sigmoid rather than tanh's [-1, 1]; up-sampling by
 * sub-pixel convolution, as DJL's PyTorch engine lacks the transposed one; no BatchNorm in the
 * discriminator; the generator's output bias starts at the training images' mean brightness.
 * Weights start as DCGAN's, N(0, 0.02).
 */
public final class ImageGan implements ImageGenerator {

    /** The layout file of a saved model. */
    public static final String LAYOUT_FILE = "dcgan-layout.json";
    /** Images generated per forward pass when sampling: bounds the native memory of a large request. */
    private static final int SAMPLE_CHUNK = 256;

    /**
     * @param epochs              passes over the images
     * @param batchSize           images per step of each network (DCGAN: 128)
     * @param seed                seed of initialisation, shuffling and every noise draw
     * @param latentSize          width of z (DCGAN: 100)
     * @param learningRate        Adam's step size for both networks (DCGAN: 2e-4)
     * @param progressEvery       progress line every this many epochs (and after the first and last)
     * @param side                image side, 28 or 64
     * @param maxConsecutiveSkips this many skipped steps in a row of either network stop the run
     */
    public record Settings(int epochs, int batchSize, long seed, int latentSize, double learningRate,
            int progressEvery, int side, int maxConsecutiveSkips) {

        /** Rejects settings no run can use. */
        public Settings {
            if (epochs < 1 || batchSize < 1 || latentSize < 1 || progressEvery < 1 || maxConsecutiveSkips < 1) {
                throw new IllegalArgumentException("epochs, batch size, latent size, progress interval and skip "
                        + "limit must be positive");
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("the learning rate must be positive, not " + learningRate);
            }
            DcganGeometry.of(side);
        }

        /** 30 epochs of batches of 64, a 64-wide z, DCGAN's Adam (2e-4), 28x28 images. */
        public static Settings defaults() {
            return new Settings(30, 64, 42, 64, 2e-4, 5, 28, 25);
        }

        /** These settings with {@code n} epochs. */
        public Settings withEpochs(int n) {
            return new Settings(n, batchSize, seed, latentSize, learningRate, progressEvery, side,
                    maxConsecutiveSkips);
        }

        /** These settings with batches of {@code n} images. */
        public Settings withBatchSize(int n) {
            return new Settings(epochs, n, seed, latentSize, learningRate, progressEvery, side, maxConsecutiveSkips);
        }

        /** These settings with seed {@code s}. */
        public Settings withSeed(long s) {
            return new Settings(epochs, batchSize, s, latentSize, learningRate, progressEvery, side,
                    maxConsecutiveSkips);
        }

        /** These settings for images of side {@code n} (28 or 64). */
        public Settings withSide(int n) {
            return new Settings(epochs, batchSize, seed, latentSize, learningRate, progressEvery, n,
                    maxConsecutiveSkips);
        }

        /** These settings with Adam step size {@code rate} for both networks. */
        public Settings withLearningRate(double rate) {
            return new Settings(epochs, batchSize, seed, latentSize, rate, progressEvery, side, maxConsecutiveSkips);
        }

        /** These settings with a progress line every {@code n} epochs. */
        public Settings withProgressEvery(int n) {
            return new Settings(epochs, batchSize, seed, latentSize, learningRate, n, side, maxConsecutiveSkips);
        }

        /** These settings stopping the run after {@code n} skipped steps in a row of either network. */
        public Settings withMaxConsecutiveSkips(int n) {
            return new Settings(epochs, batchSize, seed, latentSize, learningRate, progressEvery, side, n);
        }
    }

    private final Settings settings;
    private final Model generator;
    private final Model discriminator;
    private final DcganTrainingReport training;

    private ImageGan(Settings settings, Model generator, Model discriminator, DcganTrainingReport training) {
        this.settings = settings;
        this.generator = generator;
        this.discriminator = discriminator;
        this.training = training;
    }

    /**
     * Trains a DCGAN on {@code images}, each {@code side * side} pixels row-major in [0, 1].
     *
     * @param progress receives a line per {@link Settings#progressEvery} epochs: both losses, the
     *                 discriminator's mean belief in real and fake images, elapsed time and ETA
     * @throws IllegalArgumentException for fewer images than one batch, or an image of another size
     *                                  or with a pixel outside [0, 1] (NaN included)
     * @throws ai.djl.TrainingDivergedException when either network's steps keep failing the gradient check
     */
    public static ImageGan train(List<float[]> images, Settings settings, Progress progress) {
        return train(images, settings, progress, (network, step, block) -> { });
    }

    /** As {@link #train(List, Settings, Consumer)}, with a hook after each backward pass (tests). */
    static ImageGan train(List<float[]> images, Settings settings, Progress progress,
            DcganTrainer.AfterBackward afterBackward) {
        validate(images, settings);
        DcganGeometry geometry = DcganGeometry.of(settings.side());
        progress.accept(String.format(Locale.ROOT, "DCGAN: %,d images of %dx%d, z of %d, %d feature channels, "
                + "%d epochs of %d steps", images.size(), settings.side(), settings.side(), settings.latentSize(),
                geometry.channels(), settings.epochs(), images.size() / settings.batchSize()));
        DcganTrainer.Result result = new DcganTrainer(settings, progress, afterBackward).train(images);
        return new ImageGan(settings, result.generator(), result.discriminator(), result.report());
    }

    private static void validate(List<float[]> images, Settings settings) {
        if (images.size() < settings.batchSize()) {
            throw new IllegalArgumentException(images.size() + " images are fewer than one batch of "
                    + settings.batchSize());
        }
        int pixels = settings.side() * settings.side();
        for (int i = 0; i < images.size(); i++) {
            float[] image = images.get(i);
            if (image.length != pixels) {
                throw new IllegalArgumentException("image " + i + " has " + image.length + " pixels, not "
                        + settings.side() + "x" + settings.side() + " = " + pixels);
            }
            for (int p = 0; p < pixels; p++) {
                if (!(image[p] >= 0 && image[p] <= 1)) {
                    throw new IllegalArgumentException("image " + i + " has pixel " + p + " = " + image[p]
                            + ", outside [0, 1]");
                }
            }
        }
    }

    @Override
    public String kind() {
        return "dcgan";
    }

    @Override
    public int side() {
        return settings.side();
    }

    /** The settings it was trained with. */
    public Settings settings() {
        return settings;
    }

    /** How training went: time, final losses, skipped steps; empty for a loaded model that lacks it. */
    public Optional<DcganTrainingReport> training() {
        return Optional.ofNullable(training);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Image by image, its z drawn from {@code new Random(seed)} in order: a seed's i-th image is
     * the same whether 10 or 10,000 are asked for (up to float rounding in batched kernels).
     */
    @Override
    public List<float[]> sample(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot sample " + count + " images");
        }
        Random random = new Random(seed);
        int latent = settings.latentSize();
        int pixels = settings.side() * settings.side();
        DcganGeneratorBlock block = (DcganGeneratorBlock) generator.getBlock();
        List<float[]> images = new ArrayList<>(count);
        for (int start = 0; start < count; start += SAMPLE_CHUNK) {
            int n = Math.min(SAMPLE_CHUNK, count - start);
            float[] z = JavaNoise.gaussian(random, n * latent);
            try (NDManager scope = generator.getNDManager().newSubManager()) {
                // Inference mode: BatchNorm on its running statistics, so images do not depend on their chunk-mates.
                NDArray out = block.forward(new ParameterStore(scope, false),
                        new NDList(scope.create(z, new Shape(n, latent))), false).singletonOrThrow();
                float[] flat = out.toFloatArray();
                for (int i = 0; i < n; i++) {
                    float[] image = new float[pixels];
                    for (int p = 0; p < pixels; p++) {
                        // NaN fails both comparisons and becomes 0: the contract promises finite pixels.
                        float v = flat[i * pixels + p];
                        image[p] = v >= 0f ? Math.min(v, 1f) : 0f;
                    }
                    images.add(image);
                }
            }
        }
        return images;
    }

    /**
     * Writes the generator's parameters ({@code dcgan-generator}), the discriminator's
     * ({@code dcgan-critic}, when this model has it) and {@value #LAYOUT_FILE} to {@code dir}.
     */
    @Override
    public void save(Path dir, ObjectMapper mapper) {
        try {
            Files.createDirectories(dir);
            generator.save(dir, DcganTrainer.GENERATOR);
            if (discriminator != null) {
                discriminator.save(dir, DcganTrainer.DISCRIMINATOR);
            }
            DcganGeneratorBlock block = (DcganGeneratorBlock) generator.getBlock();
            DcganLayout layout = new DcganLayout(DcganLayout.FORMAT, kind(), block.side(), block.latentSize(),
                    block.channels(), settings, discriminator != null, training);
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(LAYOUT_FILE).toFile(), layout);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the DCGAN to " + dir, e);
        }
    }

    /**
     * A model saved by {@link #save}: the generator only (all that sampling needs; the
     * discriminator's parameters, if saved, stay on disk).
     */
    public static ImageGan load(Path dir, ObjectMapper mapper) {
        DcganLayout layout;
        try {
            layout = mapper.readValue(dir.resolve(LAYOUT_FILE).toFile(), DcganLayout.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve(LAYOUT_FILE), e);
        }
        if (layout.format() != DcganLayout.FORMAT || !"dcgan".equals(layout.kind())) {
            throw new IllegalArgumentException(dir + " holds a '" + layout.kind() + "' layout of format "
                    + layout.format() + ", not a DCGAN of format " + DcganLayout.FORMAT);
        }
        Model model = Model.newInstance(DcganTrainer.GENERATOR);
        try {
            DcganGeneratorBlock block = new DcganGeneratorBlock(layout.side(), layout.latentSize());
            if (block.channels() != layout.channels()) {
                throw new IllegalArgumentException("the layout in " + dir + " has " + layout.channels()
                        + " feature channels; this code builds " + block.channels() + " for side " + layout.side());
            }
            model.setBlock(block);
            // Initialised first, as training initialises it: loading alone leaves the block without
            // input names, and saving a loaded model then fails in DJL's describeInput.
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, layout.latentSize()));
            model.load(dir, DcganTrainer.GENERATOR);
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
        return new ImageGan(layout.settings(), model, null, layout.training());
    }

    @Override
    public void close() {
        generator.close();
        if (discriminator != null) {
            discriminator.close();
        }
    }
}
