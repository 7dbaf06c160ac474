package io.recon.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.nn.ImageGenerator;
import io.recon.nn.diffusion.ImageDiffusion;
import io.recon.nn.gan.ImageGan;
import io.recon.progress.Progress;

/**
 * A family of image generators the commands know ({@code dcgan}, {@code ddpm}): how to train one
 * with the command line's overrides of its defaults, and how to load one saved. The image
 * counterpart of {@link GeneratorKind}; everything else goes through {@link ImageGenerator}.
 *
 * @param name       the kind, as options, manifests and reports name it
 * @param layoutFile the file the model's own {@code save} writes beside its parameters
 * @param trainer    trains one
 * @param loader     loads one saved by {@link ImageGenerator#save}
 */
public record ImageGeneratorKind(String name, String layoutFile, Trainer trainer, Loader loader) {

    /** The DCGAN of {@code nn/gan}. */
    public static final ImageGeneratorKind DCGAN = new ImageGeneratorKind("dcgan", ImageGan.LAYOUT_FILE,
            (images, side, o, progress) -> {
                ImageGan.Settings s = ImageGan.Settings.defaults().withSide(side);
                s = o.epochs() == null ? s : s.withEpochs(o.epochs());
                s = o.batchSize() == null ? s : s.withBatchSize(o.batchSize());
                s = o.seed() == null ? s : s.withSeed(o.seed());
                s = o.progressEvery() == null ? s : s.withProgressEvery(o.progressEvery());
                ImageGan model = ImageGan.train(images, s, progress);
                return new Trained(model, s, model.training().orElse(null));
            }, ImageGan::load);

    /** The U-Net DDPM of {@code nn/diffusion}. */
    public static final ImageGeneratorKind DDPM = new ImageGeneratorKind("ddpm", ImageDiffusion.LAYOUT_FILE,
            (images, side, o, progress) -> {
                ImageDiffusion.Settings s = ImageDiffusion.Settings.defaults().withSide(side);
                s = o.epochs() == null ? s : s.withEpochs(o.epochs());
                s = o.batchSize() == null ? s : s.withBatchSize(o.batchSize());
                s = o.seed() == null ? s : s.withSeed(o.seed());
                s = o.progressEvery() == null ? s : s.withProgressEvery(o.progressEvery());
                s = o.samplingSteps() == null ? s : s.withSampling(o.samplingSteps(), s.eta());
                ImageDiffusion model = ImageDiffusion.train(images, s, progress);
                return new Trained(model, s, model.training().orElse(null));
            }, ImageDiffusion::load);

    /** Every kind, in the order usage lists them. */
    public static final List<ImageGeneratorKind> ALL = List.of(DCGAN, DDPM);

    /** The kinds' names. */
    public static List<String> names() {
        return ALL.stream().map(ImageGeneratorKind::name).toList();
    }

    /** The kind called {@code name}. */
    public static ImageGeneratorKind named(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown image generator kind '" + name + "'; known: " + names()));
    }

    /** Whether {@code name} is an image kind. */
    public static boolean isKind(String name) {
        return names().contains(name);
    }

    /**
     * What the command line changes in the kind's default settings; null leaves the default.
     * {@code samplingSteps} is the DDPM's DDIM path length; the GAN ignores it.
     */
    public record Overrides(Integer epochs, Integer batchSize, Long seed, Integer progressEvery,
            Integer samplingSteps) {

        /** Nothing overridden. */
        public static Overrides none() {
            return new Overrides(null, null, null, null, null);
        }
    }

    /**
     * A trained model and what its manifest records of it.
     *
     * @param model    the model (the caller closes it)
     * @param settings the settings it was trained with
     * @param report   its own report of the training (time, losses, skipped steps); null when it keeps none
     */
    public record Trained(ImageGenerator model, Object settings, Object report) {
    }

    /** Trains on square images of one side. */
    public interface Trainer {
        Trained train(List<float[]> images, int side, Overrides overrides, Progress progress);
    }

    /** Loads a saved model. */
    public interface Loader {
        ImageGenerator load(Path dir, ObjectMapper mapper);
    }

    /** Trains a model of this kind on {@code images}, each {@code side * side} pixels in [0, 1]. */
    public Trained train(List<float[]> images, int side, Overrides overrides, Progress progress) {
        return trainer.train(images, side, overrides, progress);
    }

    /** Loads a model of this kind saved in {@code dir}. */
    public ImageGenerator load(Path dir, ObjectMapper mapper) {
        return loader.load(dir, mapper);
    }
}
