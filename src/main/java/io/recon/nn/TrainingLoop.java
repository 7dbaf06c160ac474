package io.recon.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

import io.recon.progress.Estimate;
import io.recon.progress.Progress;

/**
 * The one training loop of every model family: shuffled mini-batches of flat rows, a loss the
 * family supplies, backward, a {@link GradientGuard} before every optimiser step (a step whose
 * gradient alone is not finite gets one more backward pass), progress with an ETA, and an account of
 * skipped and retried steps. A family brings its network, its loss and its optimiser
 * (in the {@link Trainer}); nothing else.
 */
public final class TrainingLoop {

    /**
     * An epoch whose mean loss exceeds the lowest so far by this many times its magnitude stops the
     * run: a model whose loss explodes while staying finite passes every gradient check, and would
     * otherwise be calibrated and shipped. KL warm-up raises a VAE's loss by a factor of about two at
     * most; the divergence this guards against grew it by a thousand.
     */
    static final double EXPLOSION = 100;

    /**
     * @param epochs              passes over the rows
     * @param batchSize           rows per optimiser step (a last partial batch is dropped, so every step
     *                            sees the same batch size)
     * @param seed                seed of the shuffling
     * @param progressEvery       print progress every this many epochs (and after the first and last)
     * @param lossUnit            the loss's unit, for the log: "nats/row", "nats/image", "MSE"
     * @param maxConsecutiveSkips this many skipped steps in a row mean the run cannot make progress
     */
    public record Settings(int epochs, int batchSize, long seed, int progressEvery, String lossUnit,
            int maxConsecutiveSkips) {

        /** Rejects settings no run can use. */
        public Settings {
            if (epochs < 1 || batchSize < 1 || progressEvery < 1 || maxConsecutiveSkips < 1) {
                throw new IllegalArgumentException("epochs, batch size, progress interval and skip limit must be "
                        + "positive");
            }
        }

        /** Optimiser steps of the whole run on {@code rowsPerEpoch} rows (a last partial batch is dropped). */
        public int totalSteps(int rowsPerEpoch) {
            return epochs * (rowsPerEpoch / batchSize);
        }

        /** Settings with the default limit of 25 consecutive skipped steps. */
        public Settings(int epochs, int batchSize, long seed, int progressEvery, String lossUnit) {
            this(epochs, batchSize, seed, progressEvery, lossUnit, 25);
        }
    }

    /** A model family's objective for one batch. */
    public interface BatchLoss {

        /** The scalar loss of {@code batch} (rows x width) in epoch {@code epoch} (0-based), from {@code trainer.forward}. */
        NDArray loss(Trainer trainer, NDArray batch, int epoch);

        /** Extra words for the progress line of an epoch, e.g. "KL weight 0.50"; empty by default. */
        default String describeEpoch(int epoch) {
            return "";
        }
    }

    /** Called after each backward pass, before the guard looks: for fault-injection tests and diagnostics. */
    @FunctionalInterface
    public interface AfterBackward {
        /** {@code step} is 1-based; {@code trainer} holds the model whose gradients were just computed. */
        void accept(int step, Trainer trainer);
    }

    /**
     * @param finalLoss    mean loss of the last epoch over the steps that were applied
     * @param skippedSteps optimiser steps taken and skipped
     * @param seconds      wall time
     * @param clippedSteps steps whose gradients were scaled down to the norm limit (0 without one)
     */
    public record Result(double finalLoss, SkippedSteps skippedSteps, double seconds, int clippedSteps) {
    }

    private final Settings settings;
    private final Progress progress;
    private AfterBackward afterBackward = (step, trainer) -> { };
    private double maxGradientNorm;

    /** A loop with these settings, writing progress lines to {@code progress}. */
    public TrainingLoop(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Installs a hook that runs after every backward pass (tests inject faults with it). */
    public TrainingLoop afterBackward(AfterBackward hook) {
        this.afterBackward = hook;
        return this;
    }

    /**
     * Scales each step's finite gradients down to this joint L2 norm when they exceed it ({@link
     * GradientNormClip}); 0, the default, leaves them as they are.
     */
    public TrainingLoop clipGradientNorm(double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("the gradient norm limit is 0 (off) or positive, got " + maxNorm);
        }
        this.maxGradientNorm = maxNorm;
        return this;
    }

    /**
     * Trains the trainer's model on {@code rows}, each {@code width} floats.
     *
     * @throws TrainingDivergedException when {@link Settings#maxConsecutiveSkips} steps in a row, or a
     *                                   whole epoch, had non-finite gradients (the message names the
     *                                   step and the tensor), or when the loss exploded while finite
     */
    public Result run(Trainer trainer, EpochRows rows, int width, BatchLoss loss) {
        long started = System.nanoTime();
        GradientGuard guard = new GradientGuard(trainer.getModel().getBlock());
        GradientNormClip clip = maxGradientNorm > 0 ? new GradientNormClip(trainer.getModel().getBlock(),
                maxGradientNorm) : null;
        int clipped = 0;
        int batchSize = settings.batchSize();
        Random shuffle = new Random(settings.seed());
        // Shuffled in place every epoch, each permutation building on the last.
        List<Integer> order = new ArrayList<>();
        List<SkippedSteps.SkippedStep> skipped = new ArrayList<>();
        SkippedSteps.SkippedStep lastSkip = null;
        int step = 0;
        int skippedCount = 0;
        int retried = 0;
        int consecutive = 0;
        double epochLoss = Double.NaN;
        double lowestLoss = Double.POSITIVE_INFINITY;
        long totalSteps = 0;
        String note = "epoch 1/" + settings.epochs();
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            List<float[]> epochRows = rows.forEpoch(epoch);
            if (epochRows.size() < batchSize) {
                throw new IllegalArgumentException("need at least " + batchSize + " training rows, got "
                        + epochRows.size());
            }
            if (epoch == 0) {
                // Every epoch is taken to have the first one's size; the bar is only held below its end.
                totalSteps = settings.totalSteps(epochRows.size());
                progress.advance(0, totalSteps, "steps", note);
            }
            if (order.size() != epochRows.size()) {
                order.clear();
                for (int i = 0; i < epochRows.size(); i++) {
                    order.add(i);
                }
            }
            Collections.shuffle(order, shuffle);
            double sum = 0;
            int applied = 0;
            int skippedThisEpoch = 0;
            for (int start = 0; start + batchSize <= order.size(); start += batchSize) {
                step++;
                float[] flat = new float[batchSize * width];
                for (int b = 0; b < batchSize; b++) {
                    System.arraycopy(epochRows.get(order.get(start + b)), 0, flat, b * width, width);
                }
                double batchLoss;
                try (NDManager scope = trainer.getManager().newSubManager()) {
                    NDArray x = scope.create(flat, new Shape(batchSize, width));
                    batchLoss = forwardBackward(trainer, x, epoch, step, loss);
                    GradientGuard.Finding finding = check(guard, batchLoss);
                    if (finding != null && !"loss".equals(finding.tensor())) {
                        // A finite loss with a non-finite gradient: the faults seen in libtorch's CPU
                        // backward kernels are transient (the same batch gives finite gradients when
                        // run again), so one second pass saves the step; a real fault repeats.
                        guard.discardGradients();
                        double again = forwardBackward(trainer, x, epoch, step, loss);
                        GradientGuard.Finding second = check(guard, again);
                        if (second == null) {
                            retried++;
                            batchLoss = again;
                        }
                        finding = second;
                    }
                    if (finding == null) {
                        if (clip != null && clip.apply()) {
                            clipped++;
                        }
                        finding = step(trainer);
                    }
                    if (finding == null) {
                        sum += batchLoss;
                        applied++;
                        consecutive = 0;
                        progress.advance(Math.min(step, totalSteps - 1), totalSteps, "steps", note);
                        continue;
                    }
                    guard.discardGradients();
                    SkippedSteps.SkippedStep skip = new SkippedSteps.SkippedStep(step, epoch + 1, finding.tensor(),
                            finding.value(), batchLoss);
                    if (skipped.size() < SkippedSteps.LISTED) {
                        skipped.add(skip);
                    }
                    lastSkip = skip;
                    skippedCount++;
                    skippedThisEpoch++;
                    consecutive++;
                    if (consecutive >= settings.maxConsecutiveSkips()) {
                        throw cannotProgress(consecutive + " optimiser steps in a row", skip);
                    }
                }
            }
            if (applied == 0) {
                throw cannotProgress("every optimiser step of epoch " + (epoch + 1), lastSkip);
            }
            epochLoss = sum / applied;
            lowestLoss = Math.min(lowestLoss, epochLoss);
            if (epochLoss - lowestLoss > EXPLOSION * Math.max(1, Math.abs(lowestLoss))) {
                throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged: the mean loss "
                        + "grew from %.6g to %.6g %s by epoch %d, every value finite; lower the learning rate",
                        lowestLoss, epochLoss, settings.lossUnit(), epoch + 1));
            }
            int done = epoch + 1;
            note = String.format(Locale.ROOT, "epoch %d/%d  loss %.4f %s at epoch %d",
                    Math.min(done + 1, settings.epochs()), settings.epochs(), epochLoss, settings.lossUnit(), done);
            if (done % settings.progressEvery() == 0 || epoch == 0 || done == settings.epochs()) {
                progress.accept(progressLine(done, epochLoss, loss.describeEpoch(epoch), skippedThisEpoch, started));
            }
        }
        progress.advance(totalSteps, totalSteps, "steps", note);
        SkippedSteps steps = new SkippedSteps(step, skippedCount, List.copyOf(skipped), retried);
        if (skippedCount > 0) {
            progress.accept(steps.describe() + "; first: " + skipped.get(0).describe());
        } else if (retried > 0) {
            progress.accept(steps.describe());
        }
        if (clip != null) {
            progress.accept(String.format(Locale.ROOT, "%,d of %,d optimiser steps had their gradients scaled down "
                    + "to the norm limit %.4g", clipped, step, maxGradientNorm));
        }
        return new Result(epochLoss, steps, (System.nanoTime() - started) / 1e9, clipped);
    }

    /**
     * The optimiser step, or what stopped it. Before its first step DJL refuses gradients that sum to
     * exactly zero (as if backward had never run); large finite gradients of both signs can sum to
     * zero in float, one absorbing the rest, which stopped a tabular run on its first step. Such a step
     * is skipped like a non-finite one, and DJL checks again at the next.
     */
    private static GradientGuard.Finding step(Trainer trainer) {
        try {
            trainer.step();
            return null;
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(DJL_ZERO_GRADIENTS)) {
                return new GradientGuard.Finding("sum of all gradients", "0 (refused by DJL's first-step check)");
            }
            throw e;
        }
    }

    /** How DJL's {@code Trainer.step} words its refusal of gradients summing to zero. */
    static final String DJL_ZERO_GRADIENTS = "Gradient values are all zeros";

    /** The loss when it is not finite, else the first non-finite gradient, else null. */
    private static GradientGuard.Finding check(GradientGuard guard, double loss) {
        return Double.isFinite(loss) ? guard.check()
                : new GradientGuard.Finding("loss", Double.isNaN(loss) ? "NaN" : "Infinity");
    }

    /** One forward and backward pass of {@code batch}; returns the loss (gradients are left in the trainer). */
    private double forwardBackward(Trainer trainer, NDArray batch, int epoch, int step, BatchLoss loss) {
        double value;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray objective = loss.loss(trainer, batch, epoch);
            collector.backward(objective);
            value = objective.getFloat();
        }
        afterBackward.accept(step, trainer);
        return value;
    }

    private String progressLine(int done, double epochLoss, String note, int skippedThisEpoch, long started) {
        Estimate estimate = Estimate.of(done, settings.epochs(), System.nanoTime() - started);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  epoch %3d/%d  loss %.4f %s",
                done, settings.epochs(), epochLoss, settings.lossUnit()));
        if (!note.isEmpty()) {
            line.append("  ").append(note);
        }
        if (skippedThisEpoch > 0) {
            line.append(String.format(Locale.ROOT, "  skipped %d steps", skippedThisEpoch));
        }
        line.append(String.format(Locale.ROOT, "  %.0f s elapsed, ETA %.0f s", estimate.elapsedSeconds(),
                estimate.etaSeconds()));
        return line.toString();
    }

    private static TrainingDivergedException cannotProgress(String what, SkippedSteps.SkippedStep last) {
        String cause = "loss".equals(last.tensor())
                ? "the forward pass itself is not finite: lower the learning rate or check the inputs"
                : "the loss was finite, so the backward pass produced them: an engine kernel may be at fault; try "
                        + "OMP_NUM_THREADS=1 or DNNL_MAX_CPU_ISA=SSE41 and report the CPU";
        return new TrainingDivergedException("training cannot make progress: " + what
                + " had non-finite gradients, the last at " + last.describe() + "; " + cause);
    }
}
