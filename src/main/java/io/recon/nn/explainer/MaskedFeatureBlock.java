package io.recon.nn.explainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.recon.nn.PlainDense;

/**
 * A transformer encoder over feature tokens, trained by masked-feature prediction. Each feature of
 * an encoded row is a token: a learned feature-id embedding plus a value embedding (a number scaled
 * by a per-feature learned vector, a category looked up in a table), or, where the feature is
 * masked, a learned mask embedding instead of its value. After the encoder layers each token
 * predicts its own feature: a Gaussian (mean, log-variance) for a number, a distribution over the
 * feature's own categories for a category.
 *
 * <p>{@code forward} takes {@code [row (batch, width), mask (batch, features), 1 = masked]} and
 * returns five {@code (batch, features)} arrays: the negative log-likelihood of each feature's true
 * value under its prediction (the number of nats it surprises the model by; only meaningful where
 * the feature was masked); for numeric features the predicted mean and standard deviation in the
 * row's standardised units (0 for categories); for categorical features the encoded column of the
 * most likely category and its probability (meaningless for numbers).
 */
public final class MaskedFeatureBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Bounds of a predicted log-variance: a prediction can be neither certain nor uninformative. */
    static final float MIN_LOG_VAR = -7;
    static final float MAX_LOG_VAR = 7;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private final FeatureTokens tokens;
    private final int tokenWidth;
    private final Parameter featureIds;
    private final Parameter numericScale;
    private final Parameter numericShift;
    private final Parameter categoryTable;
    private final Parameter maskToken;
    private final List<SelfAttentionLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear numericHead;
    private final Linear categoryHead;

    /**
     * @param tokens     the features
     * @param tokenWidth width of a token (a multiple of {@code heads})
     * @param layers     encoder layers
     * @param heads      attention heads
     */
    public MaskedFeatureBlock(FeatureTokens tokens, int tokenWidth, int layers, int heads) {
        super(VERSION);
        this.tokens = tokens;
        this.tokenWidth = tokenWidth;
        int f = tokens.count();
        this.featureIds = embedding("featureIds", new Shape(f, tokenWidth));
        this.numericScale = embedding("numericScale", new Shape(f, tokenWidth));
        this.numericShift = embedding("numericShift", new Shape(f, tokenWidth));
        this.categoryTable = embedding("categoryTable", new Shape(tokens.width(), tokenWidth));
        this.maskToken = embedding("maskToken", new Shape(1, tokenWidth));
        for (int i = 0; i < layers; i++) {
            this.layers.add(addChildBlock("layer" + i, new SelfAttentionLayer(tokenWidth, heads)));
        }
        this.finalNorm = addChildBlock("finalNorm", LayerNorm.builder().axis(1).build());
        this.numericHead = addChildBlock("numericHead", Linear.builder().setUnits(2).build());
        this.categoryHead = addChildBlock("categoryHead", Linear.builder().setUnits(tokens.width()).build());
    }

    private Parameter embedding(String name, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new NormalInitializer(0.02f)).build());
    }

    /**
     * The block's trained weights as plain arrays, for {@link MaskedFeatureModel#explain} on a few
     * rows; empty for more than one layer (only a one-layer model hides every feature in one pass).
     */
    Optional<PlainJavaFeatureExplainer> plainCopy() {
        if (layers.size() != 1) {
            return Optional.empty();
        }
        return Optional.of(new PlainJavaFeatureExplainer(tokens, tokenWidth, values(featureIds),
                values(numericScale), values(numericShift), values(categoryTable), values(maskToken),
                layers.get(0).plainCopy(), PlainJavaFeatureExplainer.Norm.of(finalNorm),
                PlainDense.of(numericHead), PlainDense.of(categoryHead)));
    }

    private static float[] values(Parameter p) {
        return p.getArray().toFloatArray();
    }

    /** The features this block reads. */
    public FeatureTokens tokens() {
        return tokens;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray row = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDManager m = row.getManager();
        long batch = row.getShape().get(0);
        int f = tokens.count();
        int w = tokens.width();
        NDArray numericPick = m.create(tokens.numericPick(), new Shape(w, f));
        NDArray slots = m.create(tokens.categorySlots(), new Shape(f, w));
        NDArray isNumeric = m.create(tokens.numericFlags(), new Shape(1, f));

        NDArray numbers = row.matMul(numericPick); // (batch, f)
        NDArray oneHot = row.expandDims(1).mul(slots); // (batch, f, w): each category's own slots
        // Parameters join arrays of the batch's manager first, so every intermediate is the batch's
        // (see VaeBlock.decode: an operation's result belongs to its first operand's manager).
        NDArray values = numbers.expandDims(2).mul(own(ps, numericScale, row, training))
                .add(isNumeric.expandDims(2).mul(own(ps, numericShift, row, training)))
                .add(oneHot.matMul(own(ps, categoryTable, row, training)));
        NDArray masked = mask.expandDims(2);
        NDArray x = values.mul(masked.neg().add(1)).add(masked.mul(own(ps, maskToken, row, training)))
                .add(own(ps, featureIds, row, training));
        for (SelfAttentionLayer layer : layers) {
            x = layer.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray h = finalNorm.forward(ps, new NDList(x.reshape(batch * f, tokenWidth)), training).singletonOrThrow();

        NDArray gaussian = numericHead.forward(ps, new NDList(h), training).singletonOrThrow().reshape(batch, f, 2);
        NDArray mean = gaussian.get(":, :, 0");
        NDArray logVar = gaussian.get(":, :, 1").clip(MIN_LOG_VAR, MAX_LOG_VAR);
        NDArray numericNll = logVar.add(numbers.sub(mean).square().mul(logVar.neg().exp())).mul(0.5)
                .add(HALF_LOG_TWO_PI);

        // Logits outside a feature's own slots are pushed far down, so each feature's softmax runs
        // over its own categories only.
        NDArray logits = categoryHead.forward(ps, new NDList(h), training).singletonOrThrow().reshape(batch, f, w)
                .add(slots.sub(1).mul(1e4f));
        NDArray categoryNll = oneHot.mul(logits.logSoftmax(2)).sum(new int[] {2}).neg();

        NDArray nll = numericNll.mul(isNumeric).add(categoryNll.mul(isNumeric.neg().add(1)));
        NDArray sd = logVar.mul(0.5f).exp().mul(isNumeric);
        NDArray probabilities = logits.softmax(2);
        NDArray likeliest = probabilities.argMax(2).toType(DataType.FLOAT32, false);
        return new NDList(nll, mean.mul(isNumeric), sd, likeliest, probabilities.max(new int[] {2}));
    }

    /**
     * Each feature of each row hidden alone and predicted from the others, without training: for
     * {@code row (n, width)} the five {@code (n, features)} arrays of {@link #forwardInternal}, entry
     * (r, k) read where copy k of row r hides feature k. The same values as {@code forward} on the
     * n x features masked copies, for less work: the value embeddings are computed once per row, and
     * the last layer and the heads run at the hidden token only; a one-layer model never forms the
     * copies at all ({@link SelfAttentionLayer#forwardHiddenEach}).
     */
    public NDList explainEach(ParameterStore ps, NDArray row) {
        NDManager m = row.getManager();
        long n = row.getShape().get(0);
        int f = tokens.count();
        int w = tokens.width();
        long copies = n * f;
        NDArray slots = m.create(tokens.categorySlots(), new Shape(f, w));
        NDArray isNumeric = m.create(tokens.numericFlags(), new Shape(1, f));
        NDArray numbers = row.matMul(m.create(tokens.numericPick(), new Shape(w, f))); // (n, f)
        NDArray oneHot = row.expandDims(1).mul(slots); // (n, f, w)
        NDArray ids = own(ps, featureIds, row, false);
        NDArray visible = numbers.expandDims(2).mul(own(ps, numericScale, row, false))
                .add(isNumeric.expandDims(2).mul(own(ps, numericShift, row, false)))
                .add(oneHot.matMul(own(ps, categoryTable, row, false))).add(ids); // (n, f, tokenWidth)
        NDArray hidden = own(ps, maskToken, row, false).add(ids); // (f, tokenWidth)
        NDArray atHidden;
        if (layers.size() == 1) {
            atHidden = layers.get(0).forwardHiddenEach(ps, visible, hidden).reshape(copies, tokenWidth);
        } else {
            NDArray eye = m.eye(f); // copy k hides token k
            NDArray x = visible.expandDims(1).mul(eye.neg().add(1).expandDims(2))
                    .add(hidden.expandDims(0).mul(eye.expandDims(2))).reshape(copies, f, tokenWidth);
            for (int i = 0; i < layers.size() - 1; i++) {
                x = layers.get(i).forward(ps, new NDList(x), false).singletonOrThrow();
            }
            NDArray select = eye.expandDims(0).broadcast(new Shape(n, f, f)).reshape(copies, f);
            atHidden = layers.get(layers.size() - 1).forwardAt(ps, x, select);
        }
        NDArray h = finalNorm.forward(ps, new NDList(atHidden), false).singletonOrThrow(); // (copies, tokenWidth)

        NDArray gaussian = numericHead.forward(ps, new NDList(h), false).singletonOrThrow();
        NDArray mean = gaussian.get(":, 0");
        NDArray logVar = gaussian.get(":, 1").clip(MIN_LOG_VAR, MAX_LOG_VAR);
        NDArray own = numbers.reshape(copies);
        NDArray numericNll = logVar.add(own.sub(mean).square().mul(logVar.neg().exp())).mul(0.5)
                .add(HALF_LOG_TWO_PI);
        NDArray ownSlots = slots.expandDims(0).broadcast(new Shape(n, f, w)).reshape(copies, w);
        NDArray logits = categoryHead.forward(ps, new NDList(h), false).singletonOrThrow()
                .add(ownSlots.sub(1).mul(1e4f));
        NDArray categoryNll = oneHot.reshape(copies, w).mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
        NDArray numeric = isNumeric.broadcast(new Shape(n, f)).reshape(copies);
        NDArray nll = numericNll.mul(numeric).add(categoryNll.mul(numeric.neg().add(1)));
        NDArray probabilities = logits.softmax(1);
        Shape out = new Shape(n, f);
        return new NDList(nll.reshape(out), mean.mul(numeric).reshape(out),
                logVar.mul(0.5f).exp().mul(numeric).reshape(out),
                probabilities.argMax(1).toType(DataType.FLOAT32, false).reshape(out),
                probabilities.max(new int[] {1}).reshape(out));
    }

    /** A parameter's value as an array of {@code like}'s manager (lets gradients through). */
    private static NDArray own(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        NDArray raw = ps.getValue(p, like.getDevice(), training);
        return like.getManager().zeros(raw.getShape(), raw.getDataType()).add(raw);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape out = new Shape(inputShapes[0].get(0), tokens.count());
        return new Shape[] {out, out, out, out, out};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape sequence = new Shape(batch, tokens.count(), tokenWidth);
        for (SelfAttentionLayer layer : layers) {
            layer.initialize(manager, dataType, sequence);
        }
        Shape flat = new Shape(batch * tokens.count(), tokenWidth);
        finalNorm.initialize(manager, dataType, flat);
        numericHead.initialize(manager, dataType, flat);
        categoryHead.initialize(manager, dataType, flat);
    }
}
