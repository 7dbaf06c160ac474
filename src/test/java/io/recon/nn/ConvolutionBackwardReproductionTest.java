package io.recon.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.BiFunction;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * The smallest reproduction of libtorch 2.7.1's wrong convolution gradients on some CPUs, and the
 * proof that {@link SimdWideConvolution} avoids them.
 *
 * <p>The convolution is the conv VAE's output layer: 3x3, padding 1, 32 to 4 channels, on a
 * 64x32x14x14 input. Each pass draws fresh input, filters and upstream gradient and computes the
 * input and filter gradients three ways: in float32 plainly, in float32 with the output channels
 * padded to 16, and in float64 (which oneDNN does not handle: an independent kernel, the reference).
 * On an AMD EPYC with AVX-512 the plain input gradient was wrong in every pass under the default,
 * one-thread and AVX2 kernel paths (errors up to 80% of the gradient's largest value, NaN in 1-4% of
 * passes) and right under {@code DNNL_MAX_CPU_ISA=SSE41}; on other CPUs it may be right, so the
 * plain count is printed, not asserted. The padded gradients must match the reference in every pass.
 * The encoder's first layer (1 to 32 channels, 4x4, stride 2, filter gradient only) is checked too.
 */
@Tag("plain-djl")
@Tag("training")
@Tag("convolution")
class ConvolutionBackwardReproductionTest {

    private static final int PASSES = 150;
    /** Largest error relative to the reference's largest magnitude: float32 rounding of a few hundred terms. */
    private static final double TOLERANCE = 1e-4;

    @Test
    void decoderOutputLayerGradientsAreRightWithPaddedChannels() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(64, 32, 14, 14);
            Shape filters = new Shape(4, 32, 3, 3);
            int plainWrong = 0;
            int plainNonFinite = 0;
            int paddedWrong = 0;
            double paddedError = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.randomNormal(input);
                    NDArray w = scope.randomNormal(filters).mul(0.1f);
                    NDArray b = scope.zeros(new Shape(4));
                    NDArray upstream = scope.randomNormal(new Shape(64, 4, 14, 14));
                    NDList reference = gradients(x.toType(DataType.FLOAT64, false), w.toType(DataType.FLOAT64, false),
                            b.toType(DataType.FLOAT64, false), upstream.toType(DataType.FLOAT64, false),
                            (xx, ww) -> Conv2d.conv2d(xx, ww, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow());
                    NDList plain = gradients(x, w, b, upstream,
                            (xx, ww) -> Conv2d.conv2d(xx, ww, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow());
                    NDList padded = gradients(x, w, b, upstream,
                            (xx, ww) -> SimdWideConvolution.convolve(xx, ww, xx.getManager().zeros(new Shape(4))));
                    double plainError = largestError(plain, reference);
                    double error = largestError(padded, reference);
                    plainNonFinite += Double.isNaN(plainError) ? 1 : 0;
                    plainWrong += plainError < TOLERANCE ? 0 : 1;
                    paddedWrong += error < TOLERANCE ? 0 : 1;
                    paddedError = Math.max(paddedError, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
                }
            }
            System.out.printf("conv 3x3 32->4 on 64x32x14x14, %d passes: plain float32 gradients wrong in %d (%d "
                    + "non-finite); padded to 16 channels wrong in %d, largest error %.2e%n", PASSES, plainWrong,
                    plainNonFinite, paddedWrong, paddedError);
            assertEquals(0, paddedWrong, "padded output channels must give the right gradients in every pass, "
                    + "largest error " + paddedError);
        }
    }

    @Test
    void encoderInputLayerFilterGradientsAreRight() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            int wrong = 0;
            double largest = 0;
            for (int pass = 0; pass < PASSES / 3; pass++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.randomUniform(0f, 1f, new Shape(64, 1, 28, 28));
                    NDArray w = scope.randomNormal(new Shape(32, 1, 4, 4)).mul(0.1f);
                    NDArray b = scope.zeros(new Shape(32));
                    NDArray upstream = scope.randomNormal(new Shape(64, 32, 14, 14));
                    BiFunction<NDArray, NDArray, NDArray> conv = (xx, ww) -> Conv2d.conv2d(xx, ww, null,
                            new Shape(2, 2), new Shape(1, 1)).singletonOrThrow();
                    NDList reference = gradients(x.toType(DataType.FLOAT64, false), w.toType(DataType.FLOAT64, false),
                            b.toType(DataType.FLOAT64, false), upstream.toType(DataType.FLOAT64, false), conv);
                    double error = largestError(gradients(x, w, b, upstream, conv), reference);
                    wrong += error < TOLERANCE ? 0 : 1;
                    largest = Math.max(largest, Double.isNaN(error) ? Double.POSITIVE_INFINITY : error);
                }
            }
            assertEquals(0, wrong, "the first encoder layer's filter gradient, largest error " + largest);
        }
    }

    /** [input gradient, filter gradient] of sum(conv(x, w) * upstream). */
    private static NDList gradients(NDArray x, NDArray w, NDArray b, NDArray upstream,
            BiFunction<NDArray, NDArray, NDArray> conv) {
        NDArray xx = x.duplicate();
        NDArray ww = w.duplicate();
        xx.setRequiresGradient(true);
        ww.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(conv.apply(xx, ww).mul(upstream).sum());
        }
        return new NDList(xx.getGradient(), ww.getGradient());
    }

    /** Largest absolute difference of each gradient relative to the reference's largest magnitude; NaN if not finite. */
    private static double largestError(NDList actual, NDList reference) {
        double worst = 0;
        for (int i = 0; i < actual.size(); i++) {
            NDArray a = actual.get(i).toType(DataType.FLOAT64, false);
            if (a.isNaN().any().getBoolean() || a.isInfinite().any().getBoolean()) {
                return Double.NaN;
            }
            NDArray r = reference.get(i);
            worst = Math.max(worst, a.sub(r).abs().max().getDouble() / r.abs().max().getDouble());
        }
        return worst;
    }
}
