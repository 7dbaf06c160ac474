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
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.recon.nn.SkippedSteps;
import io.recon.progress.Estimate;
import io.recon.progress.Progress;

/**
 * Trains CTGAN's generator and critic against each other with the WGAN-GP objective: the critic
 * minimises mean D(fake) - mean D(real) + lambda * mean((||grad D(xhat)|| - 1)^2) on random
 * interpolates xhat of real and fake packs; the generator minimises -mean D(G(z, cond)). Batches
 * come by training-by-sampling ({@link ClassSampler}); all noise from one seeded Java generator.
 * Each optimiser step of either network goes through its {@link GuardedNetwork}.
 */
final class WganGpTrainer {

    /** Called after each backward pass, before the guard looks: tests inject faults with it. */
    @FunctionalInterface
    interface AfterBackward {
        /** {@code network} is "critic" or "generator"; {@code step} that network's 1-based step. */
        void accept(String network, int step, Block block);
    }

    /**
     * @param generator the trained generator (caller closes it)
     * @param critic    the trained critic (caller closes it)
     * @param report    time, Wasserstein estimate, skipped steps
     */
    record Result(Model generator, Model critic, GanTrainingReport report) {
    }

    private final TabularGan.Settings settings;
    private final int classes;
    private final Progress progress;
    /** The latest figures for the progress bar: the current epoch and the last one's loss. */
    private String note = "";
    private final AfterBackward afterBackward;
    private final List<Span> spans;
    private final int width;
    private GanGeneratorBlock generatorBlock;
    private GanCriticBlock criticBlock;
    private GuardedNetwork generator;
    private GuardedNetwork critic;

    WganGpTrainer(TabularGan.Settings settings, RowCodec codec, int classes, Progress progress,
            AfterBackward afterBackward) {
        this.settings = settings;
        this.classes = classes;
        this.progress = progress;
        this.afterBackward = afterBackward;
        this.spans = codec.spans();
        this.width = codec.width();
    }

    /** Trains on {@code encoded} rows (the codec's encoding), {@code classOfRow} their class indexes. */
    Result train(List<float[]> encoded, int[] classOfRow) {
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed((int) settings.seed());
        Model generatorModel = Model.newInstance("ctgan-generator");
        Model criticModel = Model.newInstance("ctgan-critic");
        try {
            int batch = settings.batchSize();
            generatorBlock = new GanGeneratorBlock(settings.noiseSize() + classes, settings.generatorHidden(), width);
            generatorModel.setBlock(generatorBlock);
            criticBlock = new GanCriticBlock(width + classes, settings.criticHidden(), settings.pac());
            criticModel.setBlock(criticBlock);
            generator = new GuardedNetwork("generator", generatorModel, adam(),
                    new Shape(batch, settings.noiseSize() + classes), settings.maxConsecutiveSkips());
            critic = new GuardedNetwork("critic", criticModel, adam(),
                    new Shape(batch / settings.pac(), (long) settings.pac() * (width + classes)),
                    settings.maxConsecutiveSkips());
            ClassSampler sampler = new ClassSampler(classes, classOfRow);
            Random random = new Random(settings.seed());
            int stepsPerEpoch = Math.max(1, encoded.size() / batch);
            double wasserstein = Double.NaN;
            long totalSteps = (long) settings.epochs() * stepsPerEpoch;
            note = "epoch 1/" + settings.epochs();
            progress.advance(0, totalSteps, "steps", note);
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                EpochMeans means = epoch(encoded, sampler, random, epoch, stepsPerEpoch);
                wasserstein = means.wasserstein();
                int done = epoch + 1;
                note = String.format(Locale.ROOT, "epoch %d/%d  Wasserstein %.4f at epoch %d",
                        Math.min(done + 1, settings.epochs()), settings.epochs(), wasserstein, done);
                if (done % settings.progressEvery() == 0 || epoch == 0 || done == settings.epochs()) {
                    progress.accept(progressLine(done, means, started));
                }
            }
            for (GuardedNetwork network : List.of(critic, generator)) {
                SkippedSteps s = network.skippedSteps();
                if (s.skipped() > 0) {
                    progress.accept(network.name() + ": " + s.describe() + "; first: " + s.first().get(0).describe());
                }
            }
            return new Result(generatorModel, criticModel, new GanTrainingReport((System.nanoTime() - started) / 1e9,
                    wasserstein, critic.skippedSteps(), generator.skippedSteps()));
        } catch (RuntimeException e) {
            generatorModel.close();
            criticModel.close();
            throw e;
        }
    }

    /** An epoch's means over the steps that were applied. */
    private record EpochMeans(double criticLoss, double generatorLoss, double wasserstein) {
    }

    private EpochMeans epoch(List<float[]> encoded, ClassSampler sampler, Random random, int epoch, int steps) {
        generator.startEpoch();
        critic.startEpoch();
        double criticLoss = 0;
        double generatorLoss = 0;
        double distance = 0;
        int criticCount = 0;
        int generatorCount = 0;
        for (int step = 0; step < steps; step++) {
            for (int k = 0; k < settings.criticSteps(); k++) {
                double[] lossAndDistance = criticStep(encoded, sampler, random, epoch);
                if (lossAndDistance != null) {
                    criticLoss += lossAndDistance[0];
                    distance += lossAndDistance[1];
                    criticCount++;
                }
            }
            double g = generatorStep(sampler, random, epoch);
            if (!Double.isNaN(g)) {
                generatorLoss += g;
                generatorCount++;
            }
            progress.advance((long) epoch * steps + step + 1, (long) settings.epochs() * steps, "steps", note);
        }
        // Each throws when none of its steps in the epoch was applied, so neither count is zero below.
        critic.endEpoch(epoch);
        generator.endEpoch(epoch);
        return new EpochMeans(criticLoss / criticCount, generatorLoss / generatorCount, distance / criticCount);
    }

    /** One critic step; returns {critic loss, Wasserstein estimate}, or null when the step was skipped. */
    private double[] criticStep(List<float[]> encoded, ClassSampler sampler, Random random, int epoch) {
        int n = settings.batchSize();
        int packs = n / settings.pac();
        int[] cls = drawClasses(sampler, random, n);
        float[] real = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(encoded.get(sampler.drawRow(cls[i], random)), 0, real, i * width, width);
        }
        try (NDManager scope = generator.model().getNDManager().newSubManager()) {
            NDArray cond = condition(scope, cls);
            // Outside the collector: no graph, so the critic's loss does not reach the generator.
            NDArray fake = generate(scope, cond, random, n);
            NDArray realPacks = criticBlock.pack(NDArrays.concat(new NDList(scope.create(real, new Shape(n, width)),
                    cond), 1));
            NDArray fakePacks = criticBlock.pack(NDArrays.concat(new NDList(fake, cond), 1));
            NDArray alpha = scope.create(JavaNoise.uniform(random, packs), new Shape(packs, 1));
            GanCriticBlock.DropoutMasks[] masks = new GanCriticBlock.DropoutMasks[3];
            for (int m = 0; m < masks.length; m++) {
                masks[m] = GanCriticBlock.DropoutMasks.draw(scope, random, packs, settings.criticHidden(),
                        DataType.FLOAT32);
            }
            // {loss, distance}; run again, on the same batch and masks, when only the gradients failed.
            Supplier<double[]> pass = () -> {
                double[] lossAndDistance;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray dReal = criticBlock.score(critic.store(), realPacks, masks[0], true);
                    NDArray dFake = criticBlock.score(critic.store(), fakePacks, masks[1], true);
                    NDArray wasserstein = dReal.mean().sub(dFake.mean());
                    NDArray total = GradientPenalty.of(criticBlock, critic.store(), realPacks, fakePacks, alpha,
                            masks[2], (float) settings.penaltyWeight()).sub(wasserstein);
                    collector.backward(total);
                    lossAndDistance = new double[] {total.getFloat(), wasserstein.getFloat()};
                }
                afterBackward.accept("critic", critic.skippedSteps().steps() + 1, criticBlock);
                return lossAndDistance;
            };
            return critic.step(pass, figures -> figures[0], epoch);
        }
    }

    /** One generator step; returns its loss, or NaN when the step was skipped. */
    private double generatorStep(ClassSampler sampler, Random random, int epoch) {
        int n = settings.batchSize();
        int[] cls = drawClasses(sampler, random, n);
        try (NDManager scope = generator.model().getNDManager().newSubManager()) {
            NDArray cond = condition(scope, cls);
            GanCriticBlock.DropoutMasks masks = GanCriticBlock.DropoutMasks.draw(scope, random, n / settings.pac(),
                    settings.criticHidden(), DataType.FLOAT32);
            // Run again when only the gradients failed (the noise drawn afresh, the classes and masks kept).
            DoubleSupplier pass = () -> {
                double loss;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray fake = generate(scope, cond, random, n);
                    NDArray packs = criticBlock.pack(NDArrays.concat(new NDList(fake, cond), 1));
                    NDArray total = criticBlock.score(critic.store(), packs, masks, true).mean().neg();
                    collector.backward(total);
                    loss = total.getFloat();
                }
                // The loss ran through the critic too; those gradients are not the critic's to apply.
                critic.discardGradients();
                afterBackward.accept("generator", generator.skippedSteps().steps() + 1, generatorBlock);
                return loss;
            };
            return generator.stepLoss(pass, epoch);
        }
    }

    /** Activated generator rows for the conditions {@code cond}, in training mode (BatchNorm on batch statistics). */
    private NDArray generate(NDManager scope, NDArray cond, Random random, int n) {
        NDArray z = scope.create(JavaNoise.gaussian(random, n * settings.noiseSize()),
                new Shape(n, settings.noiseSize()));
        NDArray gumbel = scope.create(JavaNoise.gumbel(random, n * width), new Shape(n, width));
        NDArray raw = generatorBlock.forward(generator.store(), new NDList(NDArrays.concat(new NDList(z, cond), 1)),
                true).singletonOrThrow();
        return SpanActivation.activate(raw, gumbel, spans, (float) settings.gumbelTau());
    }

    private NDArray condition(NDManager scope, int[] cls) {
        float[] cond = new float[cls.length * classes];
        for (int i = 0; i < cls.length; i++) {
            cond[i * classes + cls[i]] = 1f;
        }
        return scope.create(cond, new Shape(cls.length, classes));
    }

    /**
     * The classes of a batch: one per pack, shared by the pack's rows. A pack then holds pac rows of
     * one class, and the critic judges the distribution of a class's rows, PacGAN's point, per class.
     * With each row's class drawn on its own, a pack mixes classes, and the critic hardly learned
     * to tell a row of the wrong class (class-conditional means of the test table barely moved in
     * 1,800 generator steps, where class-pure packs matched them).
     */
    private int[] drawClasses(ClassSampler sampler, Random random, int n) {
        int[] cls = new int[n];
        for (int start = 0; start < n; start += settings.pac()) {
            int c = sampler.drawClass(random);
            java.util.Arrays.fill(cls, start, start + settings.pac(), c);
        }
        return cls;
    }

    private Optimizer adam() {
        return Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) settings.learningRate()))
                .optBeta1(0.5f)
                .optBeta2(0.9f)
                .optWeightDecays((float) settings.weightDecay())
                .build();
    }

    private String progressLine(int done, EpochMeans means, long started) {
        Estimate e = Estimate.of(done, settings.epochs(), System.nanoTime() - started);
        return String.format(Locale.ROOT, "  epoch %3d/%d  critic loss %.4f  generator loss %.4f  Wasserstein %.4f"
                + "  %.0f s elapsed, ETA %.0f s", done, settings.epochs(), means.criticLoss(), means.generatorLoss(),
                means.wasserstein(), e.elapsedSeconds(), e.etaSeconds());
    }
}
