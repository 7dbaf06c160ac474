package io.recon.nn.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CTGAN's critic: (Linear, LeakyReLU 0.2, Dropout 0.5) per hidden layer, then Linear(1), on PacGAN
 * packs of {@code pac} rows (each row with its condition) laid side by side. No BatchNorm: the
 * gradient penalty constrains the critic per input, which batch statistics would couple.
 *
 * <p>Besides the score it gives the score's gradient with respect to its input, written out by the
 * chain rule, as an ordinary differentiable expression in the weights: what WGAN-GP's penalty
 * needs. Taking it from libtorch with {@code backward(create_graph=true)} instead leaves a graph on
 * every weight's {@code .grad} that DJL cannot reset to None (its zeroGrad zeroes in place, keeping
 * the graph), so each step's graph chains onto the last: about 0.8 MB a step were never freed in a
 * probe of a critic this size. The explicit gradient needs no second backward pass, and
 * {@code GradientPenaltyTest} checks it against libtorch's double backward and against finite
 * differences.
 *
 * <p>Dropout masks are inputs ({@link DropoutMasks}, from a seeded Java generator), so that the
 * score and its gradient use the same mask and training is reproducible; inference passes none.
 */
public final class GanCriticBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    /** LeakyReLU's slope below zero. */
    static final float SLOPE = 0.2f;
    /** Dropout rate of each hidden layer. */
    static final float DROPOUT = 0.5f;

    private final int pac;
    private final int rowWidth;
    private final List<Integer> hidden;
    private final List<Linear> layers = new ArrayList<>();

    /**
     * @param rowWidth one row's width with its condition
     * @param hidden   units of each hidden layer (CTGAN: 256, 256)
     * @param pac      rows per pack (CTGAN: 10)
     */
    public GanCriticBlock(int rowWidth, List<Integer> hidden, int pac) {
        super(VERSION);
        this.rowWidth = rowWidth;
        this.hidden = List.copyOf(hidden);
        this.pac = pac;
        for (int i = 0; i < hidden.size(); i++) {
            layers.add(addChildBlock("linear" + i, Linear.builder().setUnits(hidden.get(i)).build()));
        }
        layers.add(addChildBlock("score", Linear.builder().setUnits(1).build()));
    }

    /** The dropout masks of one forward pass: one array (packs, units) per hidden layer. */
    public record DropoutMasks(List<NDArray> masks) {

        /** Masks for {@code packs} packs, drawn with {@code random}, in {@code manager}, of {@code type}. */
        public static DropoutMasks draw(NDManager manager, Random random, int packs, List<Integer> hidden,
                DataType type) {
            List<NDArray> masks = new ArrayList<>();
            for (int units : hidden) {
                masks.add(manager.create(JavaNoise.dropoutMask(random, packs * units, DROPOUT),
                        new Shape(packs, units)).toType(type, false));
            }
            return new DropoutMasks(masks);
        }
    }

    /** Hidden layer units. */
    public List<Integer> hidden() {
        return hidden;
    }

    /** Rows per pack. */
    public int pac() {
        return pac;
    }

    /** Packs of {@code rows} (rows, row width): (rows / pac, pac * row width). */
    public NDArray pack(NDArray rows) {
        long n = rows.getShape().get(0);
        if (n % pac != 0) {
            throw new IllegalArgumentException(n + " rows do not make packs of " + pac);
        }
        return rows.reshape(n / pac, (long) pac * rowWidth);
    }

    /** The critic's scores (packs, 1); {@code masks} null for no dropout. */
    public NDArray score(ParameterStore ps, NDArray packed, DropoutMasks masks, boolean training) {
        return pass(ps, packed, masks, training, false).get(0);
    }

    /**
     * The scores and the gradient of their sum with respect to {@code packed} (packs, pac * row
     * width), the gradient differentiable in the weights.
     */
    public NDList scoreAndInputGradient(ParameterStore ps, NDArray packed, DropoutMasks masks, boolean training) {
        return pass(ps, packed, masks, training, true);
    }

    private NDList pass(ParameterStore ps, NDArray x, DropoutMasks masks, boolean training, boolean gradient) {
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> slopes = new ArrayList<>();
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            NDArray w = value(ps, layers.get(i), "weight", x, training);
            NDArray pre = Linear.linear(h, w, value(ps, layers.get(i), "bias", x, training)).singletonOrThrow();
            weights.add(w);
            if (i == layers.size() - 1) {
                h = pre;
                break;
            }
            h = Activation.leakyRelu(pre, SLOPE);
            if (gradient) {
                // d LeakyReLU / d pre: 1 above zero, SLOPE below; a constant of the graph (no gradient),
                // which is why the penalty does not reach the biases: only through the weights.
                slopes.add(pre.gt(0).toType(pre.getDataType(), false).mul(1.0 - SLOPE).add((double) SLOPE));
            }
            if (masks != null) {
                h = h.mul(masks.masks().get(i));
            }
        }
        if (!gradient) {
            return new NDList(h);
        }
        // Backward by hand, from d score / d (last hidden) = the score layer's weight row. Every
        // product starts with a batch-owned array: an operation's result belongs to its first
        // operand's manager, and a parameter's would live (and leak) as long as the model.
        NDArray g = null;
        for (int i = layers.size() - 2; i >= 0; i--) {
            NDArray local = masks == null ? slopes.get(i) : slopes.get(i).mul(masks.masks().get(i));
            g = g == null ? local.mul(weights.get(i + 1)) : local.mul(g.matMul(weights.get(i + 1)));
        }
        NDArray inputGradient = g == null ? x.zerosLike().add(weights.get(0)) : g.matMul(weights.get(0));
        return new NDList(h, inputGradient);
    }

    private static NDArray value(ParameterStore ps, Linear layer, String name, NDArray x, boolean training) {
        Parameter p = layer.getParameters().get(name);
        return ps.getValue(p, x.getDevice(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(score(ps, inputs.singletonOrThrow(), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long packs = inputShapes[0].get(0);
        long width = (long) pac * rowWidth;
        for (Linear layer : layers) {
            layer.initialize(manager, dataType, new Shape(packs, width));
            width = layer.getOutputShapes(new Shape[] {new Shape(packs, width)})[0].get(1);
        }
    }
}
