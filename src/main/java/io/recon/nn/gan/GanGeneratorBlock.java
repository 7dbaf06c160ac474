package io.recon.nn.gan;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CTGAN's generator as a DJL block: from [z, cond] through residual layers (Linear, BatchNorm,
 * ReLU, the output concatenated with the layer's input, so every layer sees the noise and the
 * condition directly) to a linear layer of the encoded row's width. It returns the raw output;
 * {@link SpanActivation} applies tanh and Gumbel-softmax with noise the caller supplies.
 *
 * <p>BatchNorm is kept as in CTGAN: it causes no trouble here, since the gradient penalty is taken
 * through the critic only (the generator's output is a constant there), and sampling runs the
 * block in inference mode, where BatchNorm applies its running statistics: deterministic, and
 * independent of how many rows are sampled at once.
 */
public final class GanGeneratorBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputWidth;
    private final int outputWidth;
    private final List<Residual> residuals = new ArrayList<>();
    private final Linear output;

    /**
     * @param inputWidth  noise plus classes
     * @param hidden      units of each residual layer (CTGAN: 256, 256)
     * @param outputWidth the encoded row's width
     */
    public GanGeneratorBlock(int inputWidth, List<Integer> hidden, int outputWidth) {
        super(VERSION);
        this.inputWidth = inputWidth;
        this.outputWidth = outputWidth;
        for (int i = 0; i < hidden.size(); i++) {
            residuals.add(addChildBlock("residual" + i, new Residual(hidden.get(i))));
        }
        this.output = addChildBlock("output", Linear.builder().setUnits(outputWidth).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList h = inputs;
        for (Residual residual : residuals) {
            h = residual.forward(ps, h, training);
        }
        return output.forward(ps, h, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputWidth)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long width = inputWidth;
        for (Residual residual : residuals) {
            residual.initialize(manager, dataType, new Shape(batch, width));
            width += residual.units;
        }
        output.initialize(manager, dataType, new Shape(batch, width));
    }

    /** Linear, BatchNorm, ReLU; the result concatenated with the input (CTGAN's Residual). */
    private static final class Residual extends AbstractBlock {

        private final int units;
        private final Linear linear;
        private final BatchNorm norm;

        Residual(int units) {
            super(VERSION);
            this.units = units;
            this.linear = addChildBlock("linear", Linear.builder().setUnits(units).build());
            // DJL's momentum 0.9 is PyTorch's 0.1, and epsilon 1e-5 its default: BatchNorm1d as CTGAN has it.
            this.norm = addChildBlock("norm", BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray h = linear.forward(ps, inputs, training).singletonOrThrow();
            h = Activation.relu(norm.forward(ps, new NDList(h), training).singletonOrThrow());
            return new NDList(NDArrays.concat(new NDList(h, x), 1));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1) + units)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            linear.initialize(manager, dataType, inputShapes);
            norm.initialize(manager, dataType, new Shape(inputShapes[0].get(0), units));
        }
    }
}
