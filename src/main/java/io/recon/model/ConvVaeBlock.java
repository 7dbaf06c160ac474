package io.recon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;

/**
 * A convolutional variational autoencoder for 28x28 single-channel images with pixels in [0,1],
 * as a DJL block.
 *
 * <p>Encoder: Conv2d(32, 4x4, stride 2, pad 1) - ReLU - Conv2d(64, 4x4, s2, p1) - ReLU - flatten -
 * Linear(2 * latent), the mean and log-variance of q(z|x), a diagonal Gaussian. Decoder: Linear
 * (64*7*7) - ReLU - reshape (64,7,7) - up(32) - ReLU - up(1), one logit per pixel. Each encoder layer
 * exactly halves the side (28 - 14 - 7) and each decoder layer doubles it.
 *
 * <p>{@code up(c)} stands for ConvTranspose2d(c, 4x4, stride 2, pad 1), which DJL 0.36's PyTorch
 * engine does not implement ({@code deconvolution} throws "Not implemented"). It is built as a
 * sub-pixel convolution instead: Conv2d(4c, 3x3, pad 1) followed by a 2x pixel shuffle. Each of
 * the four output phases of the transposed convolution reads a 2x2 window of the input inside that
 * 3x3 neighbourhood, so this layer can represent every ConvTranspose2d(4x4, s2, p1) exactly (and a
 * little more), at about the same cost.
 *
 * <p>The logits parameterise a per-pixel {@link Likelihood}: Bernoulli (binary cross-entropy, the
 * usual choice for (Fashion-)MNIST, though grey pixels are not binary) or continuous Bernoulli, its
 * correctly normalised version on [0,1].
 *
 * <p>Inputs may be {@code (batch, 784)} or {@code (batch, 1, 28, 28)}; {@link #decode} returns
 * flat {@code (batch, 784)} logits. {@link #forward} (training) returns {@code [logits, zMean,
 * zLogVar]} with z sampled by the reparameterisation trick; scoring calls {@link #encode} and
 * {@link #decode} directly.
 */
public final class ConvVaeBlock extends AbstractBlock {

    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** Pixels per image. */
    public static final int PIXELS = SIDE * SIDE;

    private static final byte VERSION = 1;
    private static final int FEATURE_CHANNELS = 64;
    private static final int FEATURE_SIDE = 7;

    /**
     * The per-pixel decoder distribution given a logit l.
     *
     * <p>{@code BERNOULLI}: -log p(x|l) = softplus(l) - x*l, the binary cross-entropy; on grey
     * values it is not a normalised density, but it is the standard objective for these images.
     * {@code CONTINUOUS_BERNOULLI} (Loaiza-Ganem and Cunningham, 2019): the same term minus the
     * log normaliser log C(l) = log(l / tanh(l/2)), which makes it a proper density on [0,1].
     */
    public enum Likelihood {
        /** Binary cross-entropy with logits. */
        BERNOULLI,
        /** Bernoulli cross-entropy corrected by the continuous Bernoulli normaliser. */
        CONTINUOUS_BERNOULLI;

        /** Parses {@code bernoulli} or {@code continuous-bernoulli}. */
        public static Likelihood parse(String name) {
            return switch (name) {
                case "bernoulli" -> BERNOULLI;
                case "continuous-bernoulli" -> CONTINUOUS_BERNOULLI;
                default -> throw new IllegalArgumentException("unknown likelihood '" + name
                        + "' (expected bernoulli or continuous-bernoulli)");
            };
        }

        /** The command-line / manifest name. */
        public String id() {
            return this == BERNOULLI ? "bernoulli" : "continuous-bernoulli";
        }

        /** Element-wise -log p(x|logits); x and logits of the same (broadcastable) shape. */
        public NDArray negativeLogLikelihood(NDArray x, NDArray logits) {
            // softplus(l) = max(l, 0) + log(1 + exp(-|l|)): stable for logits of any size.
            NDArray absLogits = logits.abs();
            NDArray bce = logits.maximum(0f).add(absLogits.neg().exp().add(1f).log()).sub(x.mul(logits));
            if (this == BERNOULLI) {
                return bce;
            }
            // l / tanh(l/2) is even in l and tends to 2 at 0; clamping |l| at 1e-3 changes log C by < 1e-7.
            NDArray m = absLogits.maximum(1e-3f);
            NDArray logC = m.log().sub(m.mul(0.5f).tanh().log());
            return bce.sub(logC);
        }
    }

    private final int latentSize;
    private final Likelihood likelihood;
    private final SequentialBlock encoder;
    private final SequentialBlock decoderInput;
    private final Conv2d upHidden;
    private final Conv2d upOutput;

    /** A block with the given latent size and pixel likelihood. */
    public ConvVaeBlock(int latentSize, Likelihood likelihood) {
        super(VERSION);
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be positive, got " + latentSize);
        }
        this.latentSize = latentSize;
        this.likelihood = likelihood;
        this.encoder = addChildBlock("encoder", new SequentialBlock()
                .add(conv(32)).add(Activation.reluBlock())
                .add(conv(FEATURE_CHANNELS)).add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2L * latentSize).build()));
        this.decoderInput = addChildBlock("decoderInput", new SequentialBlock()
                .add(Linear.builder().setUnits((long) FEATURE_CHANNELS * FEATURE_SIDE * FEATURE_SIDE).build())
                .add(Activation.reluBlock()));
        this.upHidden = addChildBlock("upHidden", subPixelConv(32));
        this.upOutput = addChildBlock("upOutput", subPixelConv(1));
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build();
    }

    /** The convolution of an {@code up(filters)} layer: four channels per output channel, one per phase. */
    private static Conv2d subPixelConv(int filters) {
        return Conv2d.builder().setFilters(4 * filters).setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).build();
    }

    /** (batch, 4c, h, w) to (batch, c, 2h, 2w): channel 4k + 2i + j becomes phase (i, j) of channel k. */
    private static NDArray pixelShuffle(NDArray x) {
        Shape s = x.getShape();
        long c = s.get(1) / 4;
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(s.get(0), c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(s.get(0), c, 2 * h, 2 * w);
    }

    /** Latent dimensions. */
    public int latentSize() {
        return latentSize;
    }

    /** The pixel likelihood the logits parameterise. */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** q(z|x): returns {@code [zMean, zLogVar]}, each (batch, latent). */
    public NDList encode(ParameterStore ps, NDArray x, boolean training) {
        NDArray image = x.reshape(-1, 1, SIDE, SIDE);
        NDArray h = encoder.forward(ps, new NDList(image), training).singletonOrThrow();
        NDArray mean = h.get(":, 0:" + latentSize);
        // Clipped so exp() stays finite on wild inputs; normal data sits far inside this range.
        NDArray logVar = h.get(":, " + latentSize + ":").clip(-12, 8);
        return new NDList(mean, logVar);
    }

    /** p(x|z): returns the per-pixel logits, (batch, 784). */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        NDArray h = decoderInput.forward(ps, new NDList(z), training).singletonOrThrow()
                .reshape(-1, FEATURE_CHANNELS, FEATURE_SIDE, FEATURE_SIDE);
        h = pixelShuffle(upHidden.forward(ps, new NDList(h), training).singletonOrThrow()).maximum(0f);
        return pixelShuffle(upOutput.forward(ps, new NDList(h), training).singletonOrThrow()).reshape(-1, PIXELS);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList q = encode(ps, x, training);
        NDArray zMean = q.get(0);
        NDArray zLogVar = q.get(1);
        NDArray z = training ? Reparameterization.sample(zMean, zLogVar) : zMean;
        return new NDList(decode(ps, z, training), zMean, zLogVar);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, PIXELS), new Shape(batch, latentSize), new Shape(batch, latentSize)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, new Shape(batch, 1, SIDE, SIDE));
        decoderInput.initialize(manager, dataType, new Shape(batch, latentSize));
        upHidden.initialize(manager, dataType, new Shape(batch, FEATURE_CHANNELS, FEATURE_SIDE, FEATURE_SIDE));
        upOutput.initialize(manager, dataType, new Shape(batch, 32, 2 * FEATURE_SIDE, 2 * FEATURE_SIDE));
    }

    /**
     * The training objective: mean over the batch of {@code -log p(x|z) + klWeight * KL(q(z|x) ||
     * N(0, I))}, with the block's likelihood. Predictions are {@link #forward}'s {@code [logits,
     * zMean, zLogVar]}; labels are the flat images.
     */
    public static final class NegativeElbo extends Loss {

        private final Likelihood likelihood;
        private volatile float klWeight = 1f;

        /** A loss for the given likelihood, KL weight 1. */
        public NegativeElbo(Likelihood likelihood) {
            super("negative_elbo");
            this.likelihood = likelihood;
        }

        /** Sets the weight of the KL term, 0..1 (warm-up). */
        public void setKlWeight(float weight) {
            this.klWeight = weight;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            return evaluate(labels.singletonOrThrow(), predictions, klWeight);
        }

        /** The batch mean of the (KL-weighted) negative ELBO for flat images {@code x}. */
        public NDArray evaluate(NDArray x, NDList predictions, float weight) {
            NDArray nll = likelihood.negativeLogLikelihood(x.reshape(-1, PIXELS), predictions.get(0))
                    .sum(new int[] {1});
            NDArray zMean = predictions.get(1);
            NDArray zLogVar = predictions.get(2);
            NDArray kl = zMean.square().add(zLogVar.exp()).sub(1).sub(zLogVar).sum(new int[] {1}).mul(0.5);
            return nll.add(kl.mul(weight)).mean();
        }
    }
}
