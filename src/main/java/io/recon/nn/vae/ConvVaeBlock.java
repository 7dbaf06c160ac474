package io.recon.nn.vae;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import io.recon.nn.SimdWideConvolution;
import io.recon.nn.SubPixelUpsampling;

/**
 * A convolutional variational autoencoder for square single-channel images with pixels in [0,1],
 * as a DJL block.
 *
 * <p>With the default geometry (28x28, two down-samplings): encoder Conv2d(32, 4x4, stride 2, pad 1)
 * - ReLU - Conv2d(64, 4x4, s2, p1) - ReLU - flatten - Linear(2 * latent), the mean and log-variance
 * of q(z|x), a diagonal Gaussian; decoder Linear(64*7*7) - ReLU - reshape (64,7,7) - up(32) - ReLU
 * - up(1), one logit per pixel. Each encoder layer exactly halves the side (28 - 14 - 7) and each
 * decoder layer doubles it. Larger images take more down-samplings, the channels doubling at each
 * (64x64 with three: 32, 64, 128 channels down to 8x8, and back up through up(64), up(32), up(1)).
 *
 * <p>{@code up(c)} is a transposed convolution built as a sub-pixel convolution
 * ({@link SubPixelUpsampling}), as DJL's PyTorch engine lacks the transposed one.
 *
 * <p>The logits parameterise a per-pixel {@link Likelihood}: Bernoulli (binary cross-entropy, the
 * usual choice for (Fashion-)MNIST, though grey pixels are not binary) or continuous Bernoulli, its
 * correctly normalised version on [0,1].
 *
 * <p>Inputs may be {@code (batch, side * side)} or {@code (batch, 1, side, side)}; {@link #decode} returns
 * flat {@code (batch, side * side)} logits. {@link #forward} (training) returns {@code [logits, zMean,
 * zLogVar]} with z sampled by the reparameterisation trick; scoring calls {@link #encode} and
 * {@link #decode} directly.
 */
public final class ConvVaeBlock extends AbstractBlock {

    /** Image side of the default geometry (Fashion-MNIST). */
    public static final int SIDE = 28;
    /** Pixels per image of the default geometry. */
    public static final int PIXELS = SIDE * SIDE;
    /** Down-samplings of the default geometry. */
    public static final int DEFAULT_DOWNSAMPLINGS = 2;

    private static final byte VERSION = 1;
    private static final int FIRST_CHANNELS = 32;

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
    private final int side;
    private final int downsamplings;
    private final int featureChannels;
    private final int featureSide;
    private final SequentialBlock encoder;
    private final SequentialBlock decoderInput;
    /** The decoder's hidden up-sampling layers, widest first, each followed by a ReLU. */
    private final List<Conv2d> upHidden = new ArrayList<>();
    private final Conv2d upOutput;

    /** A 28x28 block (two down-samplings) with the given latent size and pixel likelihood. */
    public ConvVaeBlock(int latentSize, Likelihood likelihood) {
        this(latentSize, likelihood, SIDE, DEFAULT_DOWNSAMPLINGS);
    }

    /**
     * A block for {@code side x side} images.
     *
     * @param downsamplings stride-2 layers in the encoder (and up-samplings in the decoder), at least
     *                      2; {@code side} must be divisible by 2^downsamplings
     */
    public ConvVaeBlock(int latentSize, Likelihood likelihood, int side, int downsamplings) {
        super(VERSION);
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be positive, got " + latentSize);
        }
        if (downsamplings < 2 || downsamplings > 5 || side < 4 || side % (1 << downsamplings) != 0) {
            throw new IllegalArgumentException("image side " + side + " must be divisible by 2^downsamplings with "
                    + "2-5 down-samplings, got " + downsamplings);
        }
        this.latentSize = latentSize;
        this.likelihood = likelihood;
        this.side = side;
        this.downsamplings = downsamplings;
        this.featureChannels = FIRST_CHANNELS << (downsamplings - 1);
        this.featureSide = side >> downsamplings;
        SequentialBlock down = new SequentialBlock();
        for (int i = 0; i < downsamplings; i++) {
            down.add(conv(FIRST_CHANNELS << i)).add(Activation.reluBlock());
        }
        this.encoder = addChildBlock("encoder", down
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2L * latentSize).build()));
        this.decoderInput = addChildBlock("decoderInput", new SequentialBlock()
                .add(Linear.builder().setUnits((long) featureChannels * featureSide * featureSide).build())
                .add(Activation.reluBlock()));
        int hidden = downsamplings - 1;
        for (int i = 0; i < hidden; i++) {
            // One hidden layer keeps the name it had before the geometry became a parameter, so
            // existing 28x28 bundles load unchanged.
            String name = hidden == 1 ? "upHidden" : "upHidden" + (i + 1);
            upHidden.add(addChildBlock(name, SubPixelUpsampling.conv(FIRST_CHANNELS << (hidden - 1 - i))));
        }
        this.upOutput = addChildBlock("upOutput", SubPixelUpsampling.conv(1));
    }

    private static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).build();
    }

    /** Latent dimensions. */
    public int latentSize() {
        return latentSize;
    }

    /** The pixel likelihood the logits parameterise. */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** Image side in pixels. */
    public int side() {
        return side;
    }

    /** Pixels per image. */
    public int pixels() {
        return side * side;
    }

    /** Values per image of {@link #encoderFeatures}. */
    public int encoderFeatureSize() {
        return featureChannels * featureSide * featureSide;
    }

    /** Stride-2 layers of the encoder. */
    public int downsamplings() {
        return downsamplings;
    }

    /** q(z|x): returns {@code [zMean, zLogVar]}, each (batch, latent). */
    public NDList encode(ParameterStore ps, NDArray x, boolean training) {
        NDArray image = x.reshape(-1, 1, side, side);
        NDArray h = encoder.forward(ps, new NDList(image), training).singletonOrThrow();
        NDArray mean = h.get(":, 0:" + latentSize);
        return new NDList(mean, Reparameterization.boundedLogVariance(h.get(":, " + latentSize + ":")));
    }

    /**
     * The encoder's last feature map, flattened to (batch, channels x side' x side'): what q(z|x)
     * is a linear function of. Out-of-distribution scores can measure distances here, where the
     * network has learnt what matters in its training images, rather than in pixels.
     */
    public NDArray encoderFeatures(ParameterStore ps, NDArray x) {
        NDList h = new NDList(x.reshape(-1, 1, side, side));
        List<Block> layers = encoder.getChildren().values();
        // Every layer but the last, the Linear that maps the features to the posterior's parameters.
        for (Block layer : layers.subList(0, layers.size() - 1)) {
            h = layer.forward(ps, h, false);
        }
        return h.singletonOrThrow();
    }

    /** p(x|z): returns the per-pixel logits, (batch, side * side). */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        NDArray h = decoderInput.forward(ps, new NDList(z), training).singletonOrThrow()
                .reshape(-1, featureChannels, featureSide, featureSide);
        for (Conv2d up : upHidden) {
            NDArray phases = up.forward(ps, new NDList(h), training).singletonOrThrow();
            h = SubPixelUpsampling.pixelShuffle(phases).maximum(0f);
        }
        NDArray out = training ? SimdWideConvolution.forward(upOutput, ps, h)
                : upOutput.forward(ps, new NDList(h), false).singletonOrThrow();
        return SubPixelUpsampling.pixelShuffle(out).reshape(-1, pixels());
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
        return new Shape[] {new Shape(batch, pixels()), new Shape(batch, latentSize), new Shape(batch, latentSize)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, new Shape(batch, 1, side, side));
        decoderInput.initialize(manager, dataType, new Shape(batch, latentSize));
        long channels = featureChannels;
        long s = featureSide;
        for (Conv2d up : upHidden) {
            up.initialize(manager, dataType, new Shape(batch, channels, s, s));
            channels /= 2;
            s *= 2;
        }
        upOutput.initialize(manager, dataType, new Shape(batch, channels, s, s));
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
            NDArray logits = predictions.get(0);
            NDArray nll = likelihood.negativeLogLikelihood(x.reshape(logits.getShape()), logits)
                    .sum(new int[] {1});
            NDArray zMean = predictions.get(1);
            NDArray zLogVar = predictions.get(2);
            NDArray kl = Reparameterization.klToStandardNormal(zMean, zLogVar);
            return nll.add(kl.mul(weight)).mean();
        }
    }
}
