package io.recon.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/**
 * Runs a stride-1, padding-1 {@link Conv2d} for training with its output channels padded by zero
 * filters to a multiple of {@link #CHANNEL_MULTIPLE}, keeping the real channels only.
 *
 * <p>Why: libtorch 2.7.1's oneDNN convolution backward (the input gradient) returns NaN now and
 * then when the output has fewer channels than the CPU's SIMD width: 16 floats with AVX-512, 8 with
 * AVX2 — and, checked against a float64 reference, it is wrong in every pass there, the NaN being
 * only the visible part. Measured with a 3x3 convolution from 32 to 4 channels on a 64x32x14x14
 * input on an AMD EPYC with AVX-512: NaN in 28-41 of 1,500 backward passes by default, 16 with one
 * thread, 52 with AVX2 kernels, 0 with SSE4.1 kernels (4-float vectors); 32 with 8 output channels,
 * 0 with 16 or 32; wrong values in all of 300 passes by default, with one thread and with AVX2
 * kernels, in none with SSE4.1 kernels, and in none with the 4 channels padded to 16 here. The padded filters are zeros and not
 * parameters: the block's parameters, and so its bundles, are unchanged, and scoring (no backward
 * pass) uses the plain convolution. See {@code ConvolutionBackwardReproductionTest}.
 */
public final class SimdWideConvolution {

    /** Output channels are padded to a multiple of this: the widest x86-64 SIMD register holds 16 floats. */
    public static final int CHANNEL_MULTIPLE = 16;

    private SimdWideConvolution() {
    }

    /** The convolution's output for {@code input}, computed with SIMD-wide output channels. */
    public static NDArray forward(Conv2d conv, ParameterStore ps, NDArray input) {
        NDArray weight = null;
        NDArray bias = null;
        for (var p : conv.getParameters()) {
            Parameter parameter = p.getValue();
            NDArray value = ps.getValue(parameter, input.getDevice(), true);
            if (parameter.getType() == Parameter.Type.WEIGHT) {
                weight = value;
            } else if (parameter.getType() == Parameter.Type.BIAS) {
                bias = value;
            }
        }
        if (weight.getShape().get(0) % CHANNEL_MULTIPLE == 0) {
            return conv.forward(ps, new NDList(input), true).singletonOrThrow();
        }
        return convolve(input, weight, bias);
    }

    /** conv2d(input, weight, bias), stride 1, padding 1, computed with zero filters added up to a multiple of 16. */
    public static NDArray convolve(NDArray input, NDArray weight, NDArray bias) {
        Shape shape = weight.getShape();
        long channels = shape.get(0);
        long padded = (channels + CHANNEL_MULTIPLE - 1) / CHANNEL_MULTIPLE * CHANNEL_MULTIPLE;
        NDArray wideWeight = weight.concat(input.getManager().zeros(new Shape(padded - channels, shape.get(1),
                shape.get(2), shape.get(3)), weight.getDataType()), 0);
        NDArray wideBias = bias.concat(input.getManager().zeros(new Shape(padded - channels), bias.getDataType()), 0);
        // Results belong to their first operand's manager, the model's: hand them to the batch's.
        wideWeight.attach(input.getManager());
        wideBias.attach(input.getManager());
        NDArray out = Conv2d.conv2d(input, wideWeight, wideBias, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
        return out.get(":, 0:" + channels);
    }
}
