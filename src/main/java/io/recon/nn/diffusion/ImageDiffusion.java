package io.recon.nn.diffusion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.nn.ImageGenerator;
import io.recon.nn.SkippedSteps;
import io.recon.nn.TrainingLoop;
import io.recon.progress.Progress;

/**
 * A denoising diffusion model of square grayscale images (DDPM, Ho et al. 2020): pixels scaled to
 * [-1, 1], Gaussian diffusion over the cosine schedule (Nichol and Dhariwal 2021), a small U-Net
 * ({@link UNetBlock}) that predicts the noise, and DDIM sampling (Song et al. 2021) so that an image
 * costs tens of network passes rather than T. Unconditional: one model per kind of image.
 */
public final class ImageDiffusion implements ImageGenerator {

    /** The layout file of a saved model. */
    public static final String LAYOUT_FILE = "ddpm-layout.json";
    /** Images per network call while sampling. */
    private static final int CHUNK = 64;

    /**
     * @param epochs         passes over the images
     * @param batchSize      images per optimiser step
     * @param learningRate   Adam's initial step size (annealed over the run)
     * @param diffusionSteps T, the noising steps of training
     * @param baseChannels   the U-Net's first-level channels (a multiple of 16)
     * @param samplingSteps  DDIM steps when sampling (at most T)
     * @param eta            DDIM's noise: 0 deterministic, 1 ancestral
     * @param seed           seed of initialisation, shuffling, timesteps and noise
     * @param progressEvery  progress line every this many epochs (and after the first and last)
     * @param side           image side, 28 or 64
     */
    public record Settings(int epochs, int batchSize, double learningRate, int diffusionSteps, int baseChannels,
            int samplingSteps, double eta, long seed, int progressEvery, int side) {

        /** Rejects settings no run can use. */
        public Settings {
            if (epochs < 1 || batchSize < 1 || progressEvery < 1) {
                throw new IllegalArgumentException("epochs, batch size and progress interval must be positive");
            }
            if (diffusionSteps < 2 || samplingSteps < 1 || samplingSteps > diffusionSteps) {
                throw new IllegalArgumentException("need 2 or more diffusion steps and 1.." + diffusionSteps
                        + " sampling steps, not " + diffusionSteps + " and " + samplingSteps);
            }
            if (!(learningRate > 0) || !(eta >= 0 && eta <= 1)) {
                throw new IllegalArgumentException("the learning rate must be positive and eta in [0, 1]");
            }
            UNetBlock.levels(side);
            if (baseChannels < 16 || baseChannels % 16 != 0) {
                throw new IllegalArgumentException("the U-Net's base channels must be a positive multiple of 16, "
                        + "not " + baseChannels);
            }
        }

        /**
         * DDPM's T = 1000 on the cosine schedule, a U-Net of 32, 64 and 128 channels, batches of 64,
         * 50 deterministic DDIM steps when sampling (the DDIM paper's quality at a twentieth of T's
         * cost). A learning rate of 1e-3, five times DDPM's: a CPU affords thousands of steps, not
         * DDPM's hundreds of thousands.
         */
        public static Settings defaults() {
            return new Settings(100, 64, 1e-3, 1000, 32, 50, 0, 42, 10, 28);
        }

        /** These settings with Adam's initial step size {@code rate}. */
        public Settings withLearningRate(double rate) {
            return new Settings(epochs, batchSize, rate, diffusionSteps, baseChannels, samplingSteps, eta, seed,
                    progressEvery, side);
        }

        /** These settings with {@code n} epochs. */
        public Settings withEpochs(int n) {
            return new Settings(n, batchSize, learningRate, diffusionSteps, baseChannels, samplingSteps, eta, seed,
                    progressEvery, side);
        }

        /** These settings with batches of {@code n} images. */
        public Settings withBatchSize(int n) {
            return new Settings(epochs, n, learningRate, diffusionSteps, baseChannels, samplingSteps, eta, seed,
                    progressEvery, side);
        }

        /** These settings with seed {@code s}. */
        public Settings withSeed(long s) {
            return new Settings(epochs, batchSize, learningRate, diffusionSteps, baseChannels, samplingSteps, eta, s,
                    progressEvery, side);
        }

        /** These settings for images of side {@code n} (28 or 64). */
        public Settings withSide(int n) {
            return new Settings(epochs, batchSize, learningRate, diffusionSteps, baseChannels, samplingSteps, eta,
                    seed, progressEvery, n);
        }

        /** These settings with a U-Net of {@code n} first-level channels. */
        public Settings withBaseChannels(int n) {
            return new Settings(epochs, batchSize, learningRate, diffusionSteps, n, samplingSteps, eta, seed,
                    progressEvery, side);
        }

        /** These settings sampling with {@code steps} DDIM steps and noise {@code noise}. */
        public Settings withSampling(int steps, double noise) {
            return new Settings(epochs, batchSize, learningRate, diffusionSteps, baseChannels, steps, noise, seed,
                    progressEvery, side);
        }

        /** These settings with a progress line every {@code n} epochs. */
        public Settings withProgressEvery(int n) {
            return new Settings(epochs, batchSize, learningRate, diffusionSteps, baseChannels, samplingSteps, eta,
                    seed, n, side);
        }
    }

    /**
     * How training went.
     *
     * @param seconds      wall time
     * @param finalLoss    the last epoch's mean noise-prediction MSE (1 would be a network that learnt nothing)
     * @param skippedSteps optimiser steps taken and skipped for non-finite gradients
     */
    public record TrainingReport(double seconds, double finalLoss, SkippedSteps skippedSteps) {
    }

    /**
     * The {@value #LAYOUT_FILE} of a saved model: all that sampling needs besides the U-Net's
     * parameters, and how training went.
     */
    record Layout(int format, String kind, Settings settings, TrainingReport training) {
        static final int FORMAT = 1;
    }

    private final Settings settings;
    private final Model unet;
    private final TrainingReport training;
    private final DdimSampler sampler;

    private ImageDiffusion(Settings settings, Model unet, TrainingReport training) {
        this.settings = settings;
        this.unet = unet;
        this.training = training;
        // Pixels live in [-1, 1]: the clean estimate is clipped there, as DDPM's sampler does.
        this.sampler = new DdimSampler(new CosineSchedule(settings.diffusionSteps()), settings.side() * settings.side(),
                1f, CHUNK);
    }

    /**
     * Trains on {@code images}, each {@code side * side} pixels row-major in [0, 1].
     *
     * @param progress receives a line per {@link Settings#progressEvery} epochs: loss, elapsed time and ETA
     * @throws IllegalArgumentException for an image of another size or with a pixel outside [0, 1]
     * @throws ai.djl.TrainingDivergedException when optimiser steps keep failing the gradient check
     */
    public static ImageDiffusion train(List<float[]> images, Settings settings, Progress progress) {
        return train(images, settings, progress, (step, trainer) -> { });
    }

    /** As {@link #train(List, Settings, Consumer)}, with a hook after each backward pass (tests). */
    static ImageDiffusion train(List<float[]> images, Settings settings, Progress progress,
            TrainingLoop.AfterBackward afterBackward) {
        int pixels = settings.side() * settings.side();
        if (images.size() < settings.batchSize()) {
            throw new IllegalArgumentException(images.size() + " images are fewer than one batch of "
                    + settings.batchSize());
        }
        List<float[]> scaled = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            float[] image = images.get(i);
            if (image.length != pixels) {
                throw new IllegalArgumentException("image " + i + " has " + image.length + " pixels, not "
                        + settings.side() + "x" + settings.side());
            }
            float[] s = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                if (!(image[p] >= 0 && image[p] <= 1)) {
                    throw new IllegalArgumentException("image " + i + " has pixel " + p + " = " + image[p]
                            + ", outside [0, 1]");
                }
                s[p] = 2 * image[p] - 1;
            }
            scaled.add(s);
        }
        progress.accept(String.format(Locale.ROOT, "DDPM: %,d images of %dx%d, U-Net of %d base channels, T = %d, "
                + "%d epochs of %d steps", images.size(), settings.side(), settings.side(), settings.baseChannels(),
                settings.diffusionSteps(), settings.epochs(), images.size() / settings.batchSize()));
        ImageDiffusionTrainer.Result result = ImageDiffusionTrainer.train(scaled, settings, progress, afterBackward);
        return new ImageDiffusion(settings, result.model(),
                new TrainingReport(result.seconds(), result.finalLoss(), result.skippedSteps()));
    }

    @Override
    public String kind() {
        return ImageDiffusionTrainer.NAME;
    }

    @Override
    public int side() {
        return settings.side();
    }

    /** The settings it was trained with, and samples with. */
    public Settings settings() {
        return settings;
    }

    /** How training went; empty for a loaded model that lacks it. */
    public Optional<TrainingReport> training() {
        return Optional.ofNullable(training);
    }

    @Override
    public List<float[]> sample(int count, long seed) {
        return sample(count, seed, settings.samplingSteps(), settings.eta());
    }

    /** As {@link #sample(int, long)} with another DDIM path length and noise. */
    public List<float[]> sample(int count, long seed, int steps, double eta) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot sample " + count + " images");
        }
        List<float[]> out = new ArrayList<>(count);
        for (float[] x : sampler.sample(this::predictNoise, count, steps, eta, seed)) {
            for (int p = 0; p < x.length; p++) {
                x[p] = Math.max(0f, Math.min(1f, (x[p] + 1) / 2));
            }
            out.add(x);
        }
        return out;
    }

    private float[] predictNoise(float[] noisy, int n, int t) {
        int side = settings.side();
        float[] times = new float[n * TimestepEmbedding.WIDTH];
        for (int i = 0; i < n; i++) {
            TimestepEmbedding.write(times, i * TimestepEmbedding.WIDTH, t);
        }
        try (NDManager scope = unet.getNDManager().newSubManager()) {
            NDList in = new NDList(scope.create(noisy, new Shape(n, 1, side, side)),
                    scope.create(times, new Shape(n, TimestepEmbedding.WIDTH)));
            NDArray eps = unet.getBlock().forward(new ParameterStore(scope, false), in, false).singletonOrThrow();
            return eps.toFloatArray();
        }
    }

    @Override
    public void save(Path dir, ObjectMapper mapper) {
        try {
            Files.createDirectories(dir);
            unet.save(dir, ImageDiffusionTrainer.NAME);
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(LAYOUT_FILE).toFile(),
                    new Layout(Layout.FORMAT, kind(), settings, training));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the diffusion model to " + dir, e);
        }
    }

    /** A model saved by {@link #save}. */
    public static ImageDiffusion load(Path dir, ObjectMapper mapper) {
        Layout layout;
        try {
            layout = mapper.readValue(dir.resolve(LAYOUT_FILE).toFile(), Layout.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve(LAYOUT_FILE), e);
        }
        if (layout.format() != Layout.FORMAT || !ImageDiffusionTrainer.NAME.equals(layout.kind())) {
            throw new IllegalArgumentException(dir + " holds a '" + layout.kind() + "' layout of format "
                    + layout.format() + ", not an image DDPM of format " + Layout.FORMAT);
        }
        Settings s = layout.settings();
        Model model = Model.newInstance(ImageDiffusionTrainer.NAME);
        try {
            UNetBlock block = new UNetBlock(s.side(), s.baseChannels());
            model.setBlock(block);
            block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(1, 1, s.side(), s.side()), new Shape(1, TimestepEmbedding.WIDTH));
            model.load(dir, ImageDiffusionTrainer.NAME);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("Cannot read the U-Net in " + dir, e);
        } catch (MalformedModelException e) {
            model.close();
            throw new IllegalArgumentException("the U-Net in " + dir + " does not fit its layout: " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new ImageDiffusion(s, model, layout.training());
    }

    @Override
    public void close() {
        unet.close();
    }
}
