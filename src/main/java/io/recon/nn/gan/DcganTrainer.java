package io.recon.nn.gan;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.recon.nn.SkippedSteps;
import io.recon.progress.Estimate;
import io.recon.progress.Progress;

/**
 * Trains the DCGAN's generator and discriminator against each other with the non-saturating GAN
 * loss ({@link NonSaturatingGanLoss}): per batch of real images, one discriminator step on them and
 * a fake batch, then one generator step on a fresh fake batch. Adam as DCGAN has it (beta1 0.5,
 * beta2 0.999, a constant rate). Shuffling and latent noise come from one seeded Java generator;
 * each optimiser step of either network goes through its {@link GuardedNetwork}.
 */
final class DcganTrainer {

    /** Model name of the generator, and the prefix of its parameter file. */
    static final String GENERATOR = "dcgan-generator";
    /** Model name of the discriminator, and the prefix of its parameter file. */
    static final String DISCRIMINATOR = "dcgan-critic";
    /** Standard deviation of the initial weights (DCGAN's). */
    private static final float INIT_SIGMA = 0.02f;

    /** Called after each backward pass, before the guard looks: tests inject faults with it. */
    @FunctionalInterface
    interface AfterBackward {
        /** {@code network} is "discriminator" or "generator"; {@code step} that network's 1-based step. */
        void accept(String network, int step, Block block);
    }

    /**
     * @param generator     the trained generator (caller closes it)
     * @param discriminator the trained discriminator (caller closes it)
     * @param report        time, final losses, skipped steps
     */
    record Result(Model generator, Model discriminator, DcganTrainingReport report) {
    }

    private final ImageGan.Settings settings;
    private final Progress progress;
    /** The latest figures for the progress bar: the current epoch and the last one's loss. */
    private String note = "";
    private final AfterBackward afterBackward;
    private final int side;
    private DcganGeneratorBlock generatorBlock;
    private DcganDiscriminatorBlock discriminatorBlock;
    private GuardedNetwork generator;
    private GuardedNetwork discriminator;

    DcganTrainer(ImageGan.Settings settings, Progress progress, AfterBackward afterBackward) {
        this.settings = settings;
        this.progress = progress;
        this.afterBackward = afterBackward;
        this.side = settings.side();
    }

    /**
     * Trains on {@code images}, each side x side pixels in [0, 1], at least one batch of them (the
     * caller validates). Each epoch takes images / batch size steps: the last partial batch of the
     * shuffled order is dropped, so that every step sees a full batch (BatchNorm's statistics and
     * the loss's scale stay the same from step to step), and the next epoch's shuffle reaches the
     * dropped images.
     */
    Result train(List<float[]> images) {
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed((int) settings.seed());
        Model generatorModel = Model.newInstance(GENERATOR);
        Model discriminatorModel = Model.newInstance(DISCRIMINATOR);
        try {
            int batch = settings.batchSize();
            generatorBlock = new DcganGeneratorBlock(side, settings.latentSize());
            generatorModel.setBlock(generatorBlock);
            discriminatorBlock = new DcganDiscriminatorBlock(side);
            discriminatorModel.setBlock(discriminatorBlock);
            // DCGAN's N(0, 0.02) weights, not DJL's He-scaled default (about 0.08-0.18 here): behind
            // BatchNorm a weight's scale only divides its effective step size, and with the default
            // the generator moved so slowly at 2e-4 that the discriminator won within 100 steps.
            for (Block block : List.of(generatorBlock, discriminatorBlock)) {
                block.setInitializer(new NormalInitializer(INIT_SIGMA), Parameter.Type.WEIGHT);
            }
            // The untrained generator's pixels at the training images' mean brightness, as one sets an
            // output bias to the data's marginal. Without it the first 150 or so steps went on learning
            // the dark background, the global brightness swinging back and forth before any shape
            // appeared, and at 2e-4 it twice collapsed to all-black images for hundreds of steps.
            generatorBlock.initializeOutputBiasTo(logit(meanPixel(images)));
            generator = new GuardedNetwork("generator", generatorModel, adam(),
                    new Shape(batch, settings.latentSize()), settings.maxConsecutiveSkips());
            discriminator = new GuardedNetwork("discriminator", discriminatorModel, adam(),
                    new Shape(batch, 1, side, side), settings.maxConsecutiveSkips());
            Random random = new Random(settings.seed());
            int[] order = new int[images.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            EpochMeans means = null;
            note = "epoch 1/" + settings.epochs();
            progress.advance(0, (long) settings.epochs() * (order.length / batch), "steps", note);
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                shuffle(order, random);
                means = epoch(images, order, random, epoch);
                int done = epoch + 1;
                note = String.format(Locale.ROOT, "epoch %d/%d  generator loss %.4f at epoch %d",
                        Math.min(done + 1, settings.epochs()), settings.epochs(), means.generatorLoss(), done);
                if (done % settings.progressEvery() == 0 || epoch == 0 || done == settings.epochs()) {
                    progress.accept(progressLine(done, means, started));
                }
            }
            for (GuardedNetwork network : List.of(discriminator, generator)) {
                SkippedSteps s = network.skippedSteps();
                if (s.skipped() > 0) {
                    progress.accept(network.name() + ": " + s.describe() + "; first: " + s.first().get(0).describe());
                }
            }
            return new Result(generatorModel, discriminatorModel, new DcganTrainingReport(
                    (System.nanoTime() - started) / 1e9, means.discriminatorLoss(), means.generatorLoss(),
                    discriminator.skippedSteps(), generator.skippedSteps()));
        } catch (RuntimeException e) {
            generatorModel.close();
            discriminatorModel.close();
            throw e;
        }
    }

    /** An epoch's means over the steps that were applied; dReal and dFake are mean sigmoid(D(x)). */
    private record EpochMeans(double discriminatorLoss, double generatorLoss, double dReal, double dFake) {
    }

    private EpochMeans epoch(List<float[]> images, int[] order, Random random, int epoch) {
        generator.startEpoch();
        discriminator.startEpoch();
        int batch = settings.batchSize();
        int pixels = side * side;
        double[] dSums = new double[3];
        int dCount = 0;
        double gSum = 0;
        int gCount = 0;
        float[] real = new float[batch * pixels];
        for (int start = 0; start + batch <= order.length; start += batch) {
            for (int i = 0; i < batch; i++) {
                System.arraycopy(images.get(order[start + i]), 0, real, i * pixels, pixels);
            }
            double[] d = discriminatorStep(real, random, epoch);
            if (d != null) {
                for (int k = 0; k < dSums.length; k++) {
                    dSums[k] += d[k];
                }
                dCount++;
            }
            double g = generatorStep(random, epoch);
            if (!Double.isNaN(g)) {
                gSum += g;
                gCount++;
            }
            int steps = order.length / batch;
            progress.advance((long) epoch * steps + start / batch + 1, (long) settings.epochs() * steps, "steps", note);
        }
        // Each throws when none of its steps in the epoch was applied, so neither count is zero below.
        discriminator.endEpoch(epoch);
        generator.endEpoch(epoch);
        return new EpochMeans(dSums[0] / dCount, gSum / gCount, dSums[1] / dCount, dSums[2] / dCount);
    }

    /** One discriminator step; returns {loss, mean D(real), mean D(fake)}, or null when it was skipped. */
    private double[] discriminatorStep(float[] real, Random random, int epoch) {
        int n = settings.batchSize();
        try (NDManager scope = generator.model().getNDManager().newSubManager()) {
            // Outside the collector: no graph, so the discriminator's loss does not reach the generator.
            // Training mode all the same: the fakes are what the generator makes on batch statistics.
            NDArray fake = generatorBlock.forward(generator.store(), new NDList(noise(scope, random, n)), true)
                    .singletonOrThrow();
            NDArray realImages = scope.create(real, new Shape(n, 1, side, side));
            // {loss, mean D(real), mean D(fake)}; run again, on the same images, when only the gradients failed.
            Supplier<double[]> pass = () -> {
                double[] figures;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray realLogits = discriminatorBlock.forward(discriminator.store(), new NDList(realImages),
                            true).singletonOrThrow();
                    NDArray fakeLogits = discriminatorBlock.forward(discriminator.store(), new NDList(fake), true)
                            .singletonOrThrow();
                    NDArray total = NonSaturatingGanLoss.discriminator(realLogits, fakeLogits);
                    collector.backward(total);
                    figures = new double[] {total.getFloat(), Activation.sigmoid(realLogits).mean().getFloat(),
                            Activation.sigmoid(fakeLogits).mean().getFloat()};
                }
                afterBackward.accept("discriminator", discriminator.skippedSteps().steps() + 1, discriminatorBlock);
                return figures;
            };
            return discriminator.step(pass, figures -> figures[0], epoch);
        }
    }

    /** One generator step; returns its loss, or NaN when the step was skipped. */
    private double generatorStep(Random random, int epoch) {
        int n = settings.batchSize();
        try (NDManager scope = generator.model().getNDManager().newSubManager()) {
            NDArray z = noise(scope, random, n);
            // Run again, on the same noise, when only the gradients failed.
            DoubleSupplier pass = () -> {
                double loss;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray fake = generatorBlock.forward(generator.store(), new NDList(z), true).singletonOrThrow();
                    NDArray logits = discriminatorBlock.forward(discriminator.store(), new NDList(fake), true)
                            .singletonOrThrow();
                    NDArray total = NonSaturatingGanLoss.generator(logits);
                    collector.backward(total);
                    loss = total.getFloat();
                }
                // The loss ran through the discriminator too; those gradients are not its to apply.
                discriminator.discardGradients();
                afterBackward.accept("generator", generator.skippedSteps().steps() + 1, generatorBlock);
                return loss;
            };
            return generator.stepLoss(pass, epoch);
        }
    }

    private NDArray noise(NDManager scope, Random random, int n) {
        return scope.create(JavaNoise.gaussian(random, n * settings.latentSize()), new Shape(n, settings.latentSize()));
    }

    /** The mean of the finite pixels (a NaN pixel is the guard's to catch, batch by batch, not every step's). */
    private static double meanPixel(List<float[]> images) {
        double sum = 0;
        long count = 0;
        for (float[] image : images) {
            for (float v : image) {
                if (Float.isFinite(v)) {
                    sum += v;
                    count++;
                }
            }
        }
        return count == 0 ? 0.5 : sum / count;
    }

    /** log(p / (1 - p)), p kept in [0.01, 0.99] so that an all-black or all-white set does not saturate the sigmoid. */
    private static float logit(double p) {
        double q = Math.min(Math.max(p, 0.01), 0.99);
        return (float) Math.log(q / (1 - q));
    }

    /** Fisher-Yates with the run's generator, so that a seed fixes the batches. */
    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private Optimizer adam() {
        return Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                .optBeta1(0.5f)
                .optBeta2(0.999f)
                .build();
    }

    private String progressLine(int done, EpochMeans means, long started) {
        Estimate e = Estimate.of(done, settings.epochs(), System.nanoTime() - started);
        return String.format(Locale.ROOT, "  epoch %3d/%d  discriminator loss %.4f  generator loss %.4f  D(real) %.2f"
                + "  D(fake) %.2f  %.0f s elapsed, ETA %.0f s", done, settings.epochs(), means.discriminatorLoss(),
                means.generatorLoss(), means.dReal(), means.dFake(), e.elapsedSeconds(), e.etaSeconds());
    }
}
