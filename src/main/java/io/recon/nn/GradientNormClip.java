package io.recon.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Scales a step's gradients down, all by the same factor, when their joint L2 norm exceeds a
 * limit. On flow records a few rows lie tens of standard deviations out; under a Gaussian
 * likelihood their squared residuals make a batch's gradient a hundred times its usual size, and
 * such spikes fill Adam's second-moment estimate, so that parameters with small gradients (the
 * decoder's variances) hardly move and, at a learning rate of 0.002, training drifted until the
 * loss exploded (README: "Training that does not diverge on heavy tails"). The direction of a step
 * is kept. With the train command's limit of 30 nearly every step on the flows is scaled (their
 * norms run in the hundreds), so every batch weighs the same in Adam's moments, spikes included.
 */
public final class GradientNormClip {

    private final List<Parameter> trained = new ArrayList<>();
    private final double maxNorm;

    /** A clip over the parameters of {@code block} that take gradients; {@code maxNorm} must be positive. */
    public GradientNormClip(Block block, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("the gradient norm limit must be positive, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trained.add(p.getValue());
            }
        }
    }

    /** Clips the gradients in place if their joint norm exceeds the limit; returns whether it did. */
    public boolean apply() {
        double squares = 0;
        for (Parameter p : trained) {
            try (NDArray gradient = p.getArray().getGradient(); NDArray square = gradient.square();
                    NDArray sum = square.sum()) {
                squares += sum.getFloat();
            }
        }
        double norm = Math.sqrt(squares);
        if (norm <= maxNorm) {
            return false;
        }
        float factor = (float) (maxNorm / norm);
        for (Parameter p : trained) {
            try (NDArray gradient = p.getArray().getGradient()) {
                gradient.muli(factor);
            }
        }
        return true;
    }
}
