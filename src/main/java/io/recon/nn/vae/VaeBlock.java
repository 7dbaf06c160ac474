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
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A variational autoencoder over a flat feature vector, as a DJL block.
 *
 * <p>Encoder: MLP to the mean and log-variance of q(z|x), a diagonal Gaussian. Decoder: MLP from
 * z to the mean of p(x|z), a diagonal Gaussian whose log-variance is one learned value per
 * feature (not per input: per-input variances let the model explain anomalies away).
 *
 * <p>{@link #forward} (training) returns {@code [xMean, xLogVar, zMean, zLogVar]} with z sampled
 * by the reparameterisation trick; scoring calls {@link #encode} and {@link #decode} directly.
 */
public final class VaeBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The decoder's log-variance is clipped from above here (variance e^6, about 400 standardised units). */
    private static final double MAX_DECODER_LOG_VAR = 6;

    private final VaeArchitecture architecture;
    private final SequentialBlock encoder;
    private final SequentialBlock decoder;
    private final Parameter decoderLogVar;

    /** A block of the given shape; parameters are initialised by DJL or loaded from a bundle. */
    public VaeBlock(VaeArchitecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        SequentialBlock enc = new SequentialBlock();
        for (int units : architecture.hidden()) {
            enc.add(Linear.builder().setUnits(units).build()).add(Activation.geluBlock());
        }
        enc.add(Linear.builder().setUnits(2L * architecture.latentSize()).build());
        this.encoder = addChildBlock("encoder", enc);

        SequentialBlock dec = new SequentialBlock();
        List<Integer> reversed = new ArrayList<>(architecture.hidden());
        java.util.Collections.reverse(reversed);
        for (int units : reversed) {
            dec.add(Linear.builder().setUnits(units).build()).add(Activation.geluBlock());
        }
        dec.add(Linear.builder().setUnits(architecture.inputSize()).build());
        this.decoder = addChildBlock("decoder", dec);

        this.decoderLogVar = addParameter(Parameter.builder()
                .setName("decoderLogVar")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(architecture.inputSize()))
                // BIAS type: DJL initialises it to zeros (unit variance to start), not Xavier.
                .optInitializer(Initializer.ZEROS)
                .build());
    }

    /** The architecture this block was built with. */
    public VaeArchitecture architecture() {
        return architecture;
    }

    /** The encoder's linear layers, input first (GELU between them, none after the last). */
    public List<Linear> encoderLayers() {
        return linearLayers(encoder);
    }

    /** The decoder's linear layers, latent first (GELU between them, none after the last). */
    public List<Linear> decoderLayers() {
        return linearLayers(decoder);
    }

    /** The learned per-feature decoder log-variance, before clipping. */
    public Parameter decoderLogVarParameter() {
        return decoderLogVar;
    }

    /** The decoder's per-feature log-variance as {@link #decode} uses it: the learned values, clipped. */
    public float[] clippedDecoderLogVar() {
        float[] values = decoderLogVar.getArray().toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.max(architecture.minDecoderLogVar(), Math.min(MAX_DECODER_LOG_VAR, values[i]));
        }
        return values;
    }

    private static List<Linear> linearLayers(SequentialBlock block) {
        List<Linear> layers = new ArrayList<>();
        for (ai.djl.nn.Block child : block.getChildren().values()) {
            if (child instanceof Linear linear) {
                layers.add(linear);
            }
        }
        return layers;
    }

    /** q(z|x): returns {@code [zMean, zLogVar]}, each (batch, latent). */
    public NDList encode(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = encoder.forward(ps, new NDList(x), training).singletonOrThrow();
        int latent = architecture.latentSize();
        NDArray mean = h.get(":, 0:" + latent);
        return new NDList(mean, Reparameterization.boundedLogVariance(h.get(":, " + latent + ":")));
    }

    /** The mean of p(x|z), (batch, features), without the log-variance {@link #decode} adds. */
    public NDArray decodeMean(ParameterStore ps, NDArray z, boolean training) {
        return decoder.forward(ps, new NDList(z), training).singletonOrThrow();
    }

    /** p(x|z): returns {@code [xMean (batch, features), xLogVar (features)]}. */
    public NDList decode(ParameterStore ps, NDArray z, boolean training) {
        NDArray mean = decodeMean(ps, z, training);
        // An operation's result, and the scalars it creates for its arguments, belong to its first
        // operand's manager: for the parameter itself, the model's, which lives as long as the model.
        // Clipped there, every scored batch leaked eight arrays (ScoringMemoryTest). Adding it to
        // zeros owned by the batch gives the same values, lets gradients through (duplicate() does
        // not), and makes the clip's arrays the batch's.
        NDArray raw = ps.getValue(decoderLogVar, z.getDevice(), training);
        NDArray logVar = z.getManager().zeros(raw.getShape(), raw.getDataType()).add(raw)
                .clip(architecture.minDecoderLogVar(), MAX_DECODER_LOG_VAR);
        return new NDList(mean, logVar);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList q = encode(ps, x, training);
        NDArray zMean = q.get(0);
        NDArray zLogVar = q.get(1);
        NDArray z = training ? Reparameterization.sample(zMean, zLogVar) : zMean;
        NDList p = decode(ps, z, training);
        return new NDList(p.get(0), p.get(1), zMean, zLogVar);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {
            new Shape(batch, architecture.inputSize()),
            new Shape(architecture.inputSize()),
            new Shape(batch, architecture.latentSize()),
            new Shape(batch, architecture.latentSize())
        };
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        encoder.initialize(manager, dataType, inputShapes[0]);
        decoder.initialize(manager, dataType, new Shape(batch, architecture.latentSize()));
    }
}
