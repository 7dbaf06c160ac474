package io.recon.nn;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

/**
 * Looks at every parameter's gradient before the optimiser step, the way mixed-precision training
 * looks for overflow: a step whose gradients are not all finite must not reach the weights, or one
 * NaN from a faulty kernel poisons the model for good. libtorch 2.7.1's CPU convolution backward
 * returns NaN now and then on some CPUs (see {@code ConvolutionBackwardReproductionTest}); Adam's
 * gradient clipping does not help there, since clamping NaN gives NaN.
 */
public final class GradientGuard {

    /** What a check found: the first non-finite tensor. */
    public record Finding(String tensor, String value) {
    }

    private final List<Pair<String, Parameter>> trained = new ArrayList<>();

    /** A guard over the parameters of {@code block} that take gradients. */
    public GradientGuard(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trained.add(p);
            }
        }
    }

    /** The first parameter whose gradient holds a NaN or an infinity, or null when all are finite. */
    public Finding check() {
        for (Pair<String, Parameter> p : trained) {
            try (NDArray gradient = p.getValue().getArray().getGradient(); NDArray sum = gradient.sum()) {
                // One reduction and one read per tensor: NaN and infinities survive a sum.
                if (Float.isFinite(sum.getFloat())) {
                    continue;
                }
                String value = anyOf(gradient.isNaN()) ? "NaN" : anyOf(gradient.isInfinite()) ? "Infinity" : null;
                if (value != null) { // else the sum of finite values overflowed: nothing is wrong
                    return new Finding(p.getKey(), value);
                }
            }
        }
        return null;
    }

    /**
     * Sets every gradient to zero without touching the weights or the optimiser's state. Zeroing
     * by arithmetic ({@code g - g}, {@code g * 0}) keeps NaN, so this asks the engine to fill with zeros.
     */
    public void discardGradients() {
        for (Pair<String, Parameter> p : trained) {
            NDArray weight = p.getValue().getArray();
            if (!(weight instanceof PtNDArray ptWeight)) {
                throw new UnsupportedOperationException("discarding gradients needs the PyTorch engine, got "
                        + weight.getClass().getName());
            }
            JniUtils.zeroGrad(ptWeight);
        }
    }

    private static boolean anyOf(NDArray mask) {
        try (mask; NDArray any = mask.any()) {
            return any.getBoolean();
        }
    }
}
