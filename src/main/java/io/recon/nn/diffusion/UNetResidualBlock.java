package io.recon.nn.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DDPM's residual block: norm, SiLU, 3x3 convolution; the timestep's embedding projected to the
 * channels and added; norm, SiLU, 3x3 convolution; plus the input (through a 1x1 convolution when
 * the channel count changes). Inputs: the maps (batch, in, h, w) and the time embedding (batch, d).
 */
final class UNetResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outChannels;
    private final Conv2d first;
    private final Linear time;
    private final Conv2d second;
    private final Conv2d skip;

    UNetResidualBlock(int inChannels, int outChannels) {
        super(VERSION);
        this.outChannels = outChannels;
        first = addChildBlock("first", conv3x3(outChannels));
        time = addChildBlock("time", Linear.builder().setUnits(outChannels).build());
        second = addChildBlock("second", conv3x3(outChannels));
        skip = inChannels == outChannels ? null : addChildBlock("skip", Conv2d.builder().setFilters(outChannels)
                .setKernelShape(new Shape(1, 1)).build());
    }

    static Conv2d conv3x3(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .build();
    }

    static NDArray silu(NDArray x) {
        return Activation.swish(x, 1f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray embedding = inputs.get(1);
        NDArray h = first.forward(ps, new NDList(silu(GroupNormalization.apply(x))), training).singletonOrThrow();
        NDArray shift = time.forward(ps, new NDList(embedding), training).singletonOrThrow();
        h = h.add(shift.reshape(shift.getShape().get(0), outChannels, 1, 1));
        h = second.forward(ps, new NDList(silu(GroupNormalization.apply(h))), training).singletonOrThrow();
        NDArray residual = skip == null ? x : skip.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(h.add(residual));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape maps = new Shape(x.get(0), outChannels, x.get(2), x.get(3));
        first.initialize(manager, dataType, x);
        time.initialize(manager, dataType, inputShapes[1]);
        second.initialize(manager, dataType, maps);
        if (skip != null) {
            skip.initialize(manager, dataType, x);
        }
    }
}
