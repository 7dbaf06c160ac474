package io.recon.nn.gan;

import java.util.ArrayList;
import java.util.List;

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
 * The DCGAN discriminator ("critic") as a DJL block: Conv2d(32, 4x4, stride 2, pad 1) - LeakyReLU(0.2)
 * - Conv2d(64, ...) - LeakyReLU(0.2) [- Conv2d(128, ...) - LeakyReLU(0.2) for 64x64] - flatten -
 * Linear(1), one logit per image, returned as (batch).
 *
 * <p>No BatchNorm: with real and fake images in separate forward passes, batch statistics would
 * let the network tell the batches apart by their statistics rather than by their images, and
 * without it each image's logit depends on that image alone. Pixels are mapped from [0, 1] to [-1, 1]
 * first, the range DCGAN's discriminator sees. Every convolution has 32 or more output channels,
 * so none needs {@code SimdWideConvolution} (the generator's loss needs this block's input gradient).
 */
public final class DcganDiscriminatorBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float SLOPE = 0.2f;

    private final DcganGeometry geometry;
    private final List<Conv2d> convs = new ArrayList<>();
    private final Linear output;

    /**
     * @param side image side, 28 or 64
     * @throws IllegalArgumentException for another side
     */
    public DcganDiscriminatorBlock(int side) {
        super(VERSION);
        this.geometry = DcganGeometry.of(side);
        for (int i = 0; i < geometry.stages(); i++) {
            convs.add(addChildBlock("conv" + (i + 1), Conv2d.builder()
                    .setFilters(DcganGeometry.FIRST_CHANNELS << i).setKernelShape(new Shape(4, 4))
                    .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build()));
        }
        this.output = addChildBlock("output", Linear.builder().setUnits(1).build());
    }

    /** Takes images (batch, 1, side, side) or (batch, side * side) in [0, 1]; returns logits (batch). */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow().reshape(-1, 1, geometry.side(), geometry.side()).mul(2f).sub(1f);
        for (Conv2d conv : convs) {
            h = Activation.leakyRelu(conv.forward(ps, new NDList(h), training).singletonOrThrow(), SLOPE);
        }
        NDArray flat = h.reshape(h.getShape().get(0), geometry.projected());
        return new NDList(output.forward(ps, new NDList(flat), training).singletonOrThrow().reshape(-1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long channels = 1;
        long s = geometry.side();
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, new Shape(batch, channels, s, s));
            channels = DcganGeometry.FIRST_CHANNELS << i;
            s /= 2;
        }
        output.initialize(manager, dataType, new Shape(batch, geometry.projected()));
    }
}
