package io.recon.nn.explainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.recon.nn.PlainDense;

/**
 * One pre-norm transformer encoder layer over a short sequence of tokens (batch, tokens, width):
 * x + attention(norm(x)), then + feed-forward(norm(.)). Written out rather than DJL's
 * {@code TransformerEncoderBlock}, whose normalisation is a batch norm: a token's output would then
 * depend on the other rows of its batch, and an explanation must not.
 */
final class SelfAttentionLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final int heads;
    private final LayerNorm attentionNorm;
    private final Linear queries;
    private final Linear keys;
    private final Linear values;
    private final Linear output;
    private final LayerNorm feedForwardNorm;
    private final Linear expand;
    private final Linear contract;

    /**
     * @param width  token width (a multiple of {@code heads})
     * @param heads  attention heads
     */
    SelfAttentionLayer(int width, int heads) {
        super(VERSION);
        if (width % heads != 0) {
            throw new IllegalArgumentException("token width " + width + " is not a multiple of " + heads + " heads");
        }
        this.width = width;
        this.heads = heads;
        this.attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(1).build());
        this.queries = addChildBlock("queries", Linear.builder().setUnits(width).build());
        this.keys = addChildBlock("keys", Linear.builder().setUnits(width).build());
        this.values = addChildBlock("values", Linear.builder().setUnits(width).build());
        this.output = addChildBlock("output", Linear.builder().setUnits(width).build());
        this.feedForwardNorm = addChildBlock("feedForwardNorm", LayerNorm.builder().axis(1).build());
        this.expand = addChildBlock("expand", Linear.builder().setUnits(2L * width).build());
        this.contract = addChildBlock("contract", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        NDArray flat = x.reshape(batch * tokens, width);
        NDArray normed = attentionNorm.forward(ps, new NDList(flat), training).singletonOrThrow();
        NDArray q = split(queries.forward(ps, new NDList(normed), training).singletonOrThrow(), batch, tokens);
        NDArray k = split(keys.forward(ps, new NDList(normed), training).singletonOrThrow(), batch, tokens);
        NDArray v = split(values.forward(ps, new NDList(normed), training).singletonOrThrow(), batch, tokens);
        NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(width / (double) heads))
                .softmax(-1);
        NDArray attended = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch * tokens, width);
        NDArray h = flat.add(output.forward(ps, new NDList(attended), training).singletonOrThrow());
        NDArray f = feedForwardNorm.forward(ps, new NDList(h), training).singletonOrThrow();
        f = expand.forward(ps, new NDList(f), training).singletonOrThrow();
        f = contract.forward(ps, new NDList(Activation.gelu(f)), training).singletonOrThrow();
        return new NDList(h.add(f).reshape(batch, tokens, width));
    }

    /**
     * The layer's output at one token per sequence only: {@code x (batch, tokens, width)} and
     * {@code select (batch, tokens)}, one-hot, naming the token; returns {@code (batch, width)}, the
     * same values {@link #forwardInternal} gives at that token (every token still serves as key and
     * value). The explainer's last layer needs only the hidden feature's token, which saves the
     * query, output and feed-forward work of all the others.
     */
    NDArray forwardAt(ParameterStore ps, NDArray x, NDArray select) {
        long batch = x.getShape().get(0);
        long tokens = x.getShape().get(1);
        NDArray flat = x.reshape(batch * tokens, width);
        NDArray normed = attentionNorm.forward(ps, new NDList(flat), false).singletonOrThrow();
        NDArray k = split(keys.forward(ps, new NDList(normed), false).singletonOrThrow(), batch, tokens);
        NDArray v = split(values.forward(ps, new NDList(normed), false).singletonOrThrow(), batch, tokens);
        NDArray pick = select.expandDims(2);
        NDArray normedAt = normed.reshape(batch, tokens, width).mul(pick).sum(new int[] {1});
        NDArray xAt = x.mul(pick).sum(new int[] {1});
        NDArray q = queries.forward(ps, new NDList(normedAt), false).singletonOrThrow()
                .reshape(batch, heads, 1, width / heads);
        NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(width / (double) heads)).softmax(-1);
        NDArray attended = weights.matMul(v).reshape(batch, width);
        NDArray h = xAt.add(output.forward(ps, new NDList(attended), false).singletonOrThrow());
        NDArray f = feedForwardNorm.forward(ps, new NDList(h), false).singletonOrThrow();
        f = expand.forward(ps, new NDList(f), false).singletonOrThrow();
        f = contract.forward(ps, new NDList(Activation.gelu(f)), false).singletonOrThrow();
        return h.add(f);
    }

    /**
     * As the first layer, each token's output when it alone is hidden: {@code visible (n, tokens,
     * width)} the rows' tokens, {@code hidden (tokens, width)} token k's hidden form; returns {@code (n,
     * tokens, width)}, entry (r, k) the output at token k of row r with token k replaced by its hidden
     * form, the same as {@link #forwardAt} on the n x tokens masked copies. Only the hidden token
     * differs between copies, so queries, keys and values are projected once per row (and once per
     * hidden token) and only the attention weights are formed per copy: a one-layer explainer costs
     * about as much as one forward pass per row instead of one per feature.
     */
    NDArray forwardHiddenEach(ParameterStore ps, NDArray visible, NDArray hidden) {
        long n = visible.getShape().get(0);
        long tokens = visible.getShape().get(1);
        NDManager m = visible.getManager();
        NDArray normedRows = attentionNorm.forward(ps, new NDList(visible.reshape(n * tokens, width)), false)
                .singletonOrThrow();
        NDArray normedHidden = attentionNorm.forward(ps, new NDList(hidden), false).singletonOrThrow();
        NDArray k = split(keys.forward(ps, new NDList(normedRows), false).singletonOrThrow(), n, tokens);
        NDArray v = split(values.forward(ps, new NDList(normedRows), false).singletonOrThrow(), n, tokens);
        NDArray qh = split(queries.forward(ps, new NDList(normedHidden), false).singletonOrThrow(), 1, tokens);
        NDArray kh = split(keys.forward(ps, new NDList(normedHidden), false).singletonOrThrow(), 1, tokens);
        NDArray vh = split(values.forward(ps, new NDList(normedHidden), false).singletonOrThrow(), 1, tokens);
        NDArray eye = m.eye((int) tokens).reshape(1, 1, tokens, tokens);
        NDArray others = eye.neg().add(1);
        // query k (hidden token k) against every visible key, its own key swapped for the hidden one
        NDArray ownScore = qh.mul(kh).sum(new int[] {3}, true); // (1, heads, tokens, 1)
        NDArray scores = qh.matMul(k.transpose(0, 1, 3, 2)).mul(others).add(ownScore.mul(eye))
                .div(Math.sqrt(width / (double) heads));
        NDArray weights = scores.softmax(-1); // (n, heads, tokens, tokens)
        NDArray ownWeight = weights.mul(eye).sum(new int[] {3}, true); // (n, heads, tokens, 1)
        NDArray attended = weights.mul(others).matMul(v).add(ownWeight.mul(vh)) // (n, heads, tokens, width/heads)
                .transpose(0, 2, 1, 3).reshape(n * tokens, width);
        NDArray h = output.forward(ps, new NDList(attended), false).singletonOrThrow().reshape(n, tokens, width)
                .add(hidden.expandDims(0)).reshape(n * tokens, width);
        NDArray f = feedForwardNorm.forward(ps, new NDList(h), false).singletonOrThrow();
        f = expand.forward(ps, new NDList(f), false).singletonOrThrow();
        f = contract.forward(ps, new NDList(Activation.gelu(f)), false).singletonOrThrow();
        return h.add(f).reshape(n, tokens, width);
    }

    /** This layer's trained weights as plain arrays, for {@link PlainJavaFeatureExplainer}. */
    PlainJavaFeatureExplainer.Layer plainCopy() {
        return new PlainJavaFeatureExplainer.Layer(heads, PlainJavaFeatureExplainer.Norm.of(attentionNorm),
                PlainDense.of(queries), PlainDense.of(keys),
                PlainDense.of(values), PlainDense.of(output),
                PlainJavaFeatureExplainer.Norm.of(feedForwardNorm), PlainDense.of(expand),
                PlainDense.of(contract));
    }

    /** (batch * tokens, width) to (batch, heads, tokens, width / heads). */
    private NDArray split(NDArray projected, long batch, long tokens) {
        return projected.reshape(batch, tokens, heads, width / heads).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape flat = new Shape(inputShapes[0].get(0) * inputShapes[0].get(1), width);
        attentionNorm.initialize(manager, dataType, flat);
        queries.initialize(manager, dataType, flat);
        keys.initialize(manager, dataType, flat);
        values.initialize(manager, dataType, flat);
        output.initialize(manager, dataType, flat);
        feedForwardNorm.initialize(manager, dataType, flat);
        expand.initialize(manager, dataType, flat);
        contract.initialize(manager, dataType, new Shape(flat.get(0), 2L * width));
    }
}
