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
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.recon.nn.SimdWideConvolution;
import io.recon.nn.SubPixelUpsampling;

/**
 * The DCGAN generator (Radford et al. 2016) as a DJL block: z - Linear(C*s*s) - BatchNorm - ReLU -
 * reshape (C, s, s) - [up(C/2) - BatchNorm - ReLU]... - up(1) - sigmoid, giving (batch, 1, side,
 * side) pixels in [0, 1]. With side 28: C = 64, s = 7, one hidden up(32); with side 64: C = 128,
 * s = 8, up(64) and up(32).
 *
 * <p>{@code up(c)} is the sub-pixel stand-in for ConvTranspose2d(c, 4x4, s2, p1)
 * ({@link SubPixelUpsampling}), as DJL's PyTorch engine lacks the transposed convolution. The last
 * one has 4 output channels before its pixel shuffle, under the SIMD width where libtorch's oneDNN
 * convolution backward goes wrong, so training runs it through {@link SimdWideConvolution}.
 *
 * <p>Sigmoid rather than DCGAN's tanh, as the pixels live in [0, 1]. BatchNorm as in DCGAN;
 * sampling runs the block in inference mode, on the running statistics, so an image does not
 * depend on the others of its batch.
 */
public final class DcganGeneratorBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DcganGeometry geometry;
    private final int latentSize;
    private final Linear project;
    private final BatchNorm projectNorm;
    private final List<Conv2d> upHidden = new ArrayList<>();
    private final List<BatchNorm> upNorms = new ArrayList<>();
    private final Conv2d upOutput;

    /**
     * @param side       image side, 28 or 64
     * @param latentSize width of z
     * @throws IllegalArgumentException for another side or a latent size below 1
     */
    public DcganGeneratorBlock(int side, int latentSize) {
        super(VERSION);
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be positive, got " + latentSize);
        }
        this.geometry = DcganGeometry.of(side);
        this.latentSize = latentSize;
        this.project = addChildBlock("project", Linear.builder().setUnits(geometry.projected()).build());
        this.projectNorm = addChildBlock("projectNorm", batchNorm());
        int channels = geometry.channels();
        for (int i = 1; i < geometry.stages(); i++) {
            channels /= 2;
            upHidden.add(addChildBlock("up" + i, SubPixelUpsampling.conv(channels)));
            upNorms.add(addChildBlock("upNorm" + i, batchNorm()));
        }
        this.upOutput = addChildBlock("upOutput", SubPixelUpsampling.conv(1));
    }

    private static BatchNorm batchNorm() {
        // DJL's momentum 0.9 is PyTorch's 0.1, and epsilon 1e-5 its default: BatchNorm as DCGAN has it.
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
    }

    /** Image side in pixels. */
    public int side() {
        return geometry.side();
    }

    /** Width of z. */
    public int latentSize() {
        return latentSize;
    }

    /** Channels of the first feature map. */
    public int channels() {
        return geometry.channels();
    }

    /**
     * Makes initialisation set every bias of the output layer to {@code logit}, so that an untrained
     * generator's pixels start near sigmoid(logit) rather than 0.5. Call before initialising.
     */
    void initializeOutputBiasTo(float logit) {
        upOutput.getParameters().get("bias").setInitializer(new ConstantInitializer(logit));
    }

    /** The pixel logits for latent codes {@code z} (batch, latent): (batch, 1, side, side). */
    public NDArray logits(ParameterStore ps, NDArray z, boolean training) {
        NDArray h = project.forward(ps, new NDList(z), training).singletonOrThrow();
        h = Activation.relu(projectNorm.forward(ps, new NDList(h), training).singletonOrThrow())
                .reshape(-1, geometry.channels(), geometry.featureSide(), geometry.featureSide());
        for (int i = 0; i < upHidden.size(); i++) {
            NDArray phases = upHidden.get(i).forward(ps, new NDList(h), training).singletonOrThrow();
            NDArray up = SubPixelUpsampling.pixelShuffle(phases);
            h = Activation.relu(upNorms.get(i).forward(ps, new NDList(up), training).singletonOrThrow());
        }
        NDArray out = training ? SimdWideConvolution.forward(upOutput, ps, h)
                : upOutput.forward(ps, new NDList(h), false).singletonOrThrow();
        return SubPixelUpsampling.pixelShuffle(out);
    }

    /** Returns the images, (batch, 1, side, side) pixels in [0, 1]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(Activation.sigmoid(logits(ps, inputs.singletonOrThrow(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1, geometry.side(), geometry.side())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        project.initialize(manager, dataType, new Shape(batch, latentSize));
        projectNorm.initialize(manager, dataType, new Shape(batch, geometry.projected()));
        long channels = geometry.channels();
        long s = geometry.featureSide();
        for (int i = 0; i < upHidden.size(); i++) {
            upHidden.get(i).initialize(manager, dataType, new Shape(batch, channels, s, s));
            channels /= 2;
            s *= 2;
            upNorms.get(i).initialize(manager, dataType, new Shape(batch, channels, s, s));
        }
        upOutput.initialize(manager, dataType, new Shape(batch, channels, s, s));
    }
}
