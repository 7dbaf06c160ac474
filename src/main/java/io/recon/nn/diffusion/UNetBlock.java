package io.recon.nn.diffusion;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.recon.nn.SimdWideConvolution;
import io.recon.nn.SubPixelUpsampling;

/**
 * A small U-Net that predicts the noise in a noisy square grayscale image, after DDPM's (Ho et al.
 * 2020) at a size a CPU can train: a 3x3 stem to {@code base} channels; per level a residual block
 * and a stride-2 4x4 convolution that halves the side and doubles the channels (at most 4 x base);
 * a residual block at the bottom; per level back up a sub-pixel up-sampling, the level's skip maps
 * concatenated, and a residual block; then norm, SiLU and a 3x3 convolution to one channel.
 * 28x28 images take two levels (28, 14, 7), 64x64 three (64, 32, 16, 8). The timestep enters every
 * residual block through an MLP of its sinusoidal embedding. No attention layers: at 7x7 and 8x8
 * the bottom convolutions already see the whole image.
 *
 * <p>Inputs: the noisy images (batch, 1, side, side) and {@link TimestepEmbedding}s (batch, 32).
 * Output: the predicted noise, (batch, 1, side, side).
 */
final class UNetBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int side;
    private final int[] channels;
    private final Linear timeIn;
    private final Linear timeOut;
    private final Conv2d stem;
    private final List<UNetResidualBlock> downBlocks = new ArrayList<>();
    private final List<Conv2d> downsamplers = new ArrayList<>();
    private final UNetResidualBlock bottom;
    private final List<Conv2d> upsamplers = new ArrayList<>();
    private final List<UNetResidualBlock> upBlocks = new ArrayList<>();
    private final Conv2d output;

    /**
     * @param side 28 or 64
     * @param base channels of the first level, a multiple of 16 (the SIMD width every convolution
     *             of a training step must keep, see {@link SimdWideConvolution})
     */
    UNetBlock(int side, int base) {
        super(VERSION);
        this.side = side;
        int levels = levels(side);
        if (base < 16 || base % 16 != 0) {
            throw new IllegalArgumentException("the U-Net's base channels must be a positive multiple of 16, not "
                    + base);
        }
        channels = new int[levels + 1];
        for (int i = 0; i <= levels; i++) {
            channels[i] = base << Math.min(i, 2);
        }
        int timeWidth = 4 * base;
        timeIn = addChildBlock("timeIn", Linear.builder().setUnits(timeWidth).build());
        timeOut = addChildBlock("timeOut", Linear.builder().setUnits(timeWidth).build());
        stem = addChildBlock("stem", UNetResidualBlock.conv3x3(base));
        for (int i = 0; i < levels; i++) {
            downBlocks.add(addChildBlock("down" + i, new UNetResidualBlock(channels[i], channels[i])));
            downsamplers.add(addChildBlock("downsample" + i, Conv2d.builder().setFilters(channels[i + 1])
                    .setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build()));
        }
        bottom = addChildBlock("bottom", new UNetResidualBlock(channels[levels], channels[levels]));
        for (int i = levels - 1; i >= 0; i--) {
            upsamplers.add(addChildBlock("upsample" + i, SubPixelUpsampling.conv(channels[i])));
            upBlocks.add(addChildBlock("up" + i, new UNetResidualBlock(2 * channels[i], channels[i])));
        }
        output = addChildBlock("output", UNetResidualBlock.conv3x3(1));
    }

    /** Down-sampling levels for an image side: 2 for 28, 3 for 64. */
    static int levels(int side) {
        return switch (side) {
            case 28 -> 2;
            case 64 -> 3;
            default -> throw new IllegalArgumentException("image side must be 28 or 64, not " + side);
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = timeIn.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow();
        NDArray time = timeOut.forward(ps, new NDList(UNetResidualBlock.silu(t)), training).singletonOrThrow();
        NDArray h = stem.forward(ps, new NDList(x), training).singletonOrThrow();
        List<NDArray> skips = new ArrayList<>();
        for (int i = 0; i < downBlocks.size(); i++) {
            h = downBlocks.get(i).forward(ps, new NDList(h, time), training).singletonOrThrow();
            skips.add(h);
            h = downsamplers.get(i).forward(ps, new NDList(h), training).singletonOrThrow();
        }
        h = bottom.forward(ps, new NDList(h, time), training).singletonOrThrow();
        for (int k = 0; k < upBlocks.size(); k++) {
            NDArray skip = skips.get(skips.size() - 1 - k);
            h = SubPixelUpsampling.pixelShuffle(upsamplers.get(k).forward(ps, new NDList(h), training)
                    .singletonOrThrow());
            h = upBlocks.get(k).forward(ps, new NDList(NDArrays.concat(new NDList(h, skip), 1), time), training)
                    .singletonOrThrow();
        }
        h = UNetResidualBlock.silu(GroupNormalization.apply(h));
        // One output channel: its input gradient needs the SIMD-wide path in training.
        NDArray noise = training ? SimdWideConvolution.forward(output, ps, h)
                : output.forward(ps, new NDList(h), false).singletonOrThrow();
        return new NDList(noise);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1, side, side)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        int timeWidth = 4 * channels[0];
        timeIn.initialize(manager, dataType, inputShapes[1]);
        timeOut.initialize(manager, dataType, new Shape(batch, timeWidth));
        Shape time = new Shape(batch, timeWidth);
        stem.initialize(manager, dataType, inputShapes[0]);
        long s = side;
        for (int i = 0; i < downBlocks.size(); i++) {
            Shape maps = new Shape(batch, channels[i], s, s);
            downBlocks.get(i).initialize(manager, dataType, maps, time);
            downsamplers.get(i).initialize(manager, dataType, maps);
            s /= 2;
        }
        bottom.initialize(manager, dataType, new Shape(batch, channels[downBlocks.size()], s, s), time);
        for (int k = 0; k < upBlocks.size(); k++) {
            int level = upBlocks.size() - 1 - k;
            upsamplers.get(k).initialize(manager, dataType, new Shape(batch, channels[level + 1], s, s));
            s *= 2;
            upBlocks.get(k).initialize(manager, dataType, new Shape(batch, 2 * channels[level], s, s), time);
        }
        output.initialize(manager, dataType, new Shape(batch, channels[0], s, s));
    }
}
