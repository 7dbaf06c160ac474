package io.recon.nn.explainer;

import java.util.ArrayList;
import java.util.List;

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

/**
 * A transformer encoder over image patches, trained by masked-patch prediction: a square image
 * (side x side, row-major) is cut into patch x patch squares, each a token (a linear embedding of its
 * pixels plus a learned position embedding) or, where masked, a learned mask embedding plus the
 * position. After the encoder layers each token predicts its own pixels, a Gaussian (mean,
 * log-variance) per pixel, from the patches around it.
 *
 * <p>{@code forward} takes {@code [images (batch, side * side), mask (batch, patches), 1 = masked]}
 * and returns {@code nll (batch, patches)}, the summed negative log-likelihood of each patch's pixels
 * under its prediction (only meaningful where the patch was masked), and {@code mean} and {@code
 * logVar}, both {@code (batch, patches, patch * patch)}.
 */
public final class MaskedPatchBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    /** Bounds of a pixel's predicted log-variance (sd between 0.03 and 7.4 on a 0..1 scale). */
    static final float MIN_LOG_VAR = -7;
    static final float MAX_LOG_VAR = 4;

    private final int side;
    private final int patch;
    private final int grid;
    private final int tokenWidth;
    private final Linear patchEmbedding;
    private final Parameter positions;
    private final Parameter maskToken;
    private final List<SelfAttentionLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear pixelHead;

    /**
     * @param side       image side (a multiple of {@code patch})
     * @param patch      patch side
     * @param tokenWidth width of a token (a multiple of {@code heads})
     * @param layers     encoder layers
     * @param heads      attention heads
     */
    public MaskedPatchBlock(int side, int patch, int tokenWidth, int layers, int heads) {
        super(VERSION);
        if (patch < 1 || side % patch != 0) {
            throw new IllegalArgumentException("patch side " + patch + " does not divide the image side " + side);
        }
        this.side = side;
        this.patch = patch;
        this.grid = side / patch;
        this.tokenWidth = tokenWidth;
        this.patchEmbedding = addChildBlock("patchEmbedding", Linear.builder().setUnits(tokenWidth).build());
        this.positions = embedding("positions", new Shape(patches(), tokenWidth));
        this.maskToken = embedding("maskToken", new Shape(1, tokenWidth));
        for (int i = 0; i < layers; i++) {
            this.layers.add(addChildBlock("layer" + i, new SelfAttentionLayer(tokenWidth, heads)));
        }
        this.finalNorm = addChildBlock("finalNorm", LayerNorm.builder().axis(1).build());
        this.pixelHead = addChildBlock("pixelHead", Linear.builder().setUnits(2L * patchPixels()).build());
    }

    private Parameter embedding(String name, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new NormalInitializer(0.02f)).build());
    }

    /** Image side. */
    public int side() {
        return side;
    }

    /** Patch side. */
    public int patch() {
        return patch;
    }

    /** Patches per image. */
    public int patches() {
        return grid * grid;
    }

    /** Pixels per patch. */
    public int patchPixels() {
        return patch * patch;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        NDArray mask = inputs.get(1).expandDims(2);
        long n = images.getShape().get(0);
        NDArray pixels = toPatches(images); // (n, T, D)
        NDArray x = embed(ps, pixels, training).mul(mask.neg().add(1)).add(mask.mul(own(ps, maskToken, images,
                training))).add(own(ps, positions, images, training));
        for (SelfAttentionLayer layer : layers) {
            x = layer.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray h = finalNorm.forward(ps, new NDList(x.reshape(n * patches(), tokenWidth)), training)
                .singletonOrThrow();
        NDList predicted = predict(ps, h, n, training);
        NDArray pixelNll = pixelNll(pixels, predicted.get(0), predicted.get(1));
        return new NDList(pixelNll.sum(new int[] {2}), predicted.get(0), predicted.get(1));
    }

    /**
     * Each patch of each image hidden alone and predicted from the others, without training: for
     * {@code images (n, side * side)} three {@code (n, side * side)} maps, each pixel's negative
     * log-likelihood, predicted mean and predicted standard deviation when its own patch is hidden.
     * One pass for a one-layer model ({@link SelfAttentionLayer#forwardHiddenEach}); deeper ones
     * run one masked copy per patch.
     */
    public NDList explainEach(ParameterStore ps, NDArray images) {
        NDManager m = images.getManager();
        long n = images.getShape().get(0);
        int t = patches();
        NDArray pixels = toPatches(images);
        NDArray pos = own(ps, positions, images, false);
        NDArray visible = embed(ps, pixels, false).add(pos); // (n, T, W)
        NDArray hidden = own(ps, maskToken, images, false).add(pos); // (T, W)
        NDArray atHidden;
        if (layers.size() == 1) {
            atHidden = layers.get(0).forwardHiddenEach(ps, visible, hidden).reshape(n * t, tokenWidth);
        } else {
            NDArray eye = m.eye(t);
            NDArray x = visible.expandDims(1).mul(eye.neg().add(1).expandDims(2))
                    .add(hidden.expandDims(0).mul(eye.expandDims(2))).reshape(n * t, t, tokenWidth);
            for (int i = 0; i < layers.size() - 1; i++) {
                x = layers.get(i).forward(ps, new NDList(x), false).singletonOrThrow();
            }
            NDArray select = eye.expandDims(0).broadcast(new Shape(n, t, t)).reshape(n * t, t);
            atHidden = layers.get(layers.size() - 1).forwardAt(ps, x, select);
        }
        NDArray h = finalNorm.forward(ps, new NDList(atHidden), false).singletonOrThrow();
        NDList predicted = predict(ps, h, n, false);
        NDArray nll = pixelNll(pixels, predicted.get(0), predicted.get(1));
        return new NDList(fromPatches(nll), fromPatches(predicted.get(0)),
                fromPatches(predicted.get(1).mul(0.5f).exp()));
    }

    private NDArray embed(ParameterStore ps, NDArray pixels, boolean training) {
        long n = pixels.getShape().get(0);
        return patchEmbedding.forward(ps, new NDList(pixels.reshape(n * patches(), patchPixels())), training)
                .singletonOrThrow().reshape(n, patches(), tokenWidth);
    }

    /** Means and clipped log-variances, each (n, T, D), from the final tokens (n * T, W). */
    private NDList predict(ParameterStore ps, NDArray h, long n, boolean training) {
        NDArray out = pixelHead.forward(ps, new NDList(h), training).singletonOrThrow()
                .reshape(n, patches(), 2, patchPixels());
        return new NDList(out.get(":, :, 0, :"), out.get(":, :, 1, :").clip(MIN_LOG_VAR, MAX_LOG_VAR));
    }

    private static NDArray pixelNll(NDArray x, NDArray mean, NDArray logVar) {
        return logVar.add(x.sub(mean).square().mul(logVar.neg().exp())).mul(0.5).add(HALF_LOG_TWO_PI);
    }

    /** (n, side * side) to (n, patches, patch * patch), patches in row-major order. */
    NDArray toPatches(NDArray images) {
        long n = images.getShape().get(0);
        return images.reshape(n, grid, patch, grid, patch).transpose(0, 1, 3, 2, 4)
                .reshape(n, patches(), patchPixels());
    }

    /** The inverse of {@link #toPatches}. */
    NDArray fromPatches(NDArray tokens) {
        long n = tokens.getShape().get(0);
        return tokens.reshape(n, grid, grid, patch, patch).transpose(0, 1, 3, 2, 4).reshape(n, (long) side * side);
    }

    /** A parameter's value as an array of {@code like}'s manager (lets gradients through). */
    private static NDArray own(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        NDArray raw = ps.getValue(p, like.getDevice(), training);
        return like.getManager().zeros(raw.getShape(), raw.getDataType()).add(raw);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        Shape perPixel = new Shape(n, patches(), patchPixels());
        return new Shape[] {new Shape(n, patches()), perPixel, perPixel};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        patchEmbedding.initialize(manager, dataType, new Shape(n * patches(), patchPixels()));
        for (SelfAttentionLayer layer : layers) {
            layer.initialize(manager, dataType, new Shape(n, patches(), tokenWidth));
        }
        Shape flat = new Shape(n * patches(), tokenWidth);
        finalNorm.initialize(manager, dataType, flat);
        pixelHead.initialize(manager, dataType, flat);
    }
}
