package io.recon.nn;

import java.util.List;

/**
 * How many optimiser steps a training run took and how many it skipped because a gradient (or the
 * loss) was not finite. A bundle's manifest carries it, so a model trained through a faulty kernel
 * says so.
 *
 * @param steps   optimiser steps attempted
 * @param skipped steps skipped: no parameter was updated
 * @param first   the first few skipped steps, in order
 * @param retried steps whose backward pass gave a non-finite gradient from a finite loss and was run
 *                again on the same batch, finite the second time (those steps were taken, not skipped)
 */
public record SkippedSteps(int steps, int skipped, List<SkippedStep> first, int retried) {

    /** A run that retries no step (the GAN trainers, loaded models). */
    public SkippedSteps(int steps, int skipped, List<SkippedStep> first) {
        this(steps, skipped, first, 0);
    }

    /** How many skipped steps are listed one by one. */
    static final int LISTED = 10;

    /**
     * One skipped step.
     *
     * @param step   1-based optimiser step of the run
     * @param epoch  1-based epoch
     * @param tensor the first tensor found non-finite: {@code loss}, or the gradient of a named parameter
     * @param value  what was found in it: {@code NaN} or {@code Infinity}
     * @param loss   the batch loss of that step (finite when only the backward pass went wrong)
     */
    public record SkippedStep(int step, int epoch, String tensor, String value, double loss) {

        /** "step 12 (epoch 1): NaN in the gradient of decoder.weight, batch loss 371.2". */
        public String describe() {
            String where = "loss".equals(tensor) ? "the loss" : "the gradient of " + tensor;
            return String.format(java.util.Locale.ROOT, "step %d (epoch %d): %s in %s, batch loss %.6g", step, epoch,
                    value, where, loss);
        }
    }

    /**
     * A line for a training log, e.g. "3 of 1,880 optimiser steps skipped (non-finite gradients), 2 more
     * taken after a second backward pass".
     */
    public String describe() {
        String line = String.format(java.util.Locale.ROOT, "%,d of %,d optimiser steps skipped (non-finite gradients)",
                skipped, steps);
        return retried == 0 ? line : line + String.format(java.util.Locale.ROOT,
                ", %,d more taken after a second backward pass", retried);
    }
}
