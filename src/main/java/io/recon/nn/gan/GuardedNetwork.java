package io.recon.nn.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.recon.nn.GradientGuard;
import io.recon.nn.SkippedSteps;

/**
 * One of the GAN's two networks with its optimiser, behind a {@link GradientGuard}: a step whose
 * gradients (or loss) are not all finite is skipped and counted, and too many in a row stop the
 * run, as in the shared {@code TrainingLoop}. The GAN alternates two networks, each with its own
 * loss, so it keeps its own parameter store instead of a DJL Trainer (whose store is private and
 * whose forward cannot pass the critic its dropout masks).
 */
final class GuardedNetwork {

    /** How many skipped steps are listed one by one (as SkippedSteps lists them). */
    private static final int LISTED = 10;

    private final String name;
    private final Model model;
    private final ParameterStore store;
    private final GradientGuard guard;
    private final int maxConsecutiveSkips;
    private final List<SkippedSteps.SkippedStep> firstSkips = new ArrayList<>();
    private SkippedSteps.SkippedStep lastSkip;
    private int steps;
    private int skipped;
    private int consecutive;
    private int appliedThisEpoch;
    private int retried;

    /** Initialises {@code model}'s block for {@code inputShape} and readies {@code optimizer} on it. */
    GuardedNetwork(String name, Model model, Optimizer optimizer, Shape inputShape, int maxConsecutiveSkips) {
        this.name = name;
        this.model = model;
        this.maxConsecutiveSkips = maxConsecutiveSkips;
        Block block = model.getBlock();
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape);
        Device device = model.getNDManager().getDevice();
        store = new ParameterStore(model.getNDManager(), false);
        store.setParameterServer(model.getNDManager().getEngine().newParameterServer(optimizer),
                new Device[] {device});
        for (Pair<String, Parameter> p : block.getParameters()) {
            store.getValue(p.getValue(), device, true);
        }
        guard = new GradientGuard(block);
    }

    /** "critic" or "generator". */
    String name() {
        return name;
    }

    /** The network's parameters as training reads them. */
    ParameterStore store() {
        return store;
    }

    /** The network's model. */
    Model model() {
        return model;
    }

    /** Zeroes gradients the other network's loss left here (the generator's loss runs through the critic). */
    void discardGradients() {
        guard.discardGradients();
    }

    /** Marks the start of an epoch (for the every-step-of-an-epoch-skipped check). */
    void startEpoch() {
        appliedThisEpoch = 0;
    }

    /**
     * One optimiser step: runs {@code pass} (forward and backward on a batch, returning its figures)
     * and applies the step when the loss and every gradient are finite, else discards the gradients
     * and records the skip. Where only the gradients are at fault (the transient fault of libtorch's
     * CPU backward that {@code TrainingLoop} retries too), {@code pass} runs once more on the same
     * batch and that pass's step is taken if it is finite; a fault that repeats is skipped.
     *
     * @param lossOf the loss among a pass's figures
     * @return the figures of the pass whose step was applied, or null when the step was skipped
     * @throws TrainingDivergedException after {@code maxConsecutiveSkips} skips in a row
     */
    <T> T step(Supplier<T> pass, ToDoubleFunction<T> lossOf, int epoch) {
        T figures = pass.get();
        double loss = lossOf.applyAsDouble(figures);
        GradientGuard.Finding finding = findingAfter(loss);
        if (finding != null && Double.isFinite(loss)) {
            guard.discardGradients();
            figures = pass.get();
            loss = lossOf.applyAsDouble(figures);
            finding = findingAfter(loss);
            if (finding == null) {
                retried++;
            }
        }
        return settle(loss, epoch, finding) ? figures : null;
    }

    /**
     * {@link #step} for a pass whose only figure is its loss: that loss when the step was taken, NaN
     * when it was skipped.
     */
    double stepLoss(DoubleSupplier pass, int epoch) {
        Double loss = step(pass::getAsDouble, Double::doubleValue, epoch);
        return loss == null ? Double.NaN : loss;
    }

    /** What makes the step just computed unusable: a non-finite loss or gradient; null when nothing does. */
    private GradientGuard.Finding findingAfter(double loss) {
        return Double.isFinite(loss) ? guard.check()
                : new GradientGuard.Finding("loss", Double.isNaN(loss) ? "NaN" : "Infinity");
    }

    /** Applies the step when {@code finding} is null, else discards its gradients and records the skip. */
    private boolean settle(double loss, int epoch, GradientGuard.Finding finding) {
        steps++;
        if (finding == null) {
            store.updateAllParameters();
            consecutive = 0;
            appliedThisEpoch++;
            return true;
        }
        guard.discardGradients();
        SkippedSteps.SkippedStep skip = new SkippedSteps.SkippedStep(steps, epoch + 1, finding.tensor(),
                finding.value(), loss);
        if (firstSkips.size() < LISTED) {
            firstSkips.add(skip);
        }
        lastSkip = skip;
        skipped++;
        consecutive++;
        if (consecutive >= maxConsecutiveSkips) {
            throw cannotProgress(consecutive + " " + name + " steps in a row", skip);
        }
        return false;
    }

    /** Throws when no step of the epoch that just ended was applied. */
    void endEpoch(int epoch) {
        if (appliedThisEpoch == 0 && steps > 0) {
            throw cannotProgress("every " + name + " step of epoch " + (epoch + 1), lastSkip);
        }
    }

    /** Steps taken and skipped so far. */
    SkippedSteps skippedSteps() {
        return new SkippedSteps(steps, skipped, List.copyOf(firstSkips), retried);
    }

    private TrainingDivergedException cannotProgress(String what, SkippedSteps.SkippedStep last) {
        String where = last == null ? "" : ", the last at " + last.describe();
        String cause = last != null && "loss".equals(last.tensor())
                ? "the forward pass itself is not finite: lower the learning rate or check the inputs"
                : "the loss was finite, so the backward pass produced them: an engine kernel may be at fault; try "
                        + "OMP_NUM_THREADS=1 or DNNL_MAX_CPU_ISA=SSE41 and report the CPU";
        return new TrainingDivergedException("GAN training cannot make progress: " + what
                + " had non-finite gradients" + where + "; " + cause);
    }
}
