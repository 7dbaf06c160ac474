package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.ArrayList;
import java.util.List;

import ai.djl.nn.core.Linear;
import io.recon.nn.PlainDense;

/**
 * The same VAE scores as {@link VaeScorer}, computed one row at a time with plain float
 * arrays and no native code. Three uses: the per-core compute ceiling in the throughput benchmark
 * (what scoring costs without DJL's per-call overhead), an independent check of the DJL scoring
 * arithmetic in the tests, and the explainer's reconstruction of the few alerts of a poll (where
 * DJL's per-call cost would be most of the work). Not thread-safe; one per thread.
 */
public final class PlainJavaVaeScorer {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final List<PlainDense> encoder;
    private final List<PlainDense> decoder;
    private final float[] xLogVar;
    private final float[] xVar;
    private final int latent;
    private final int samples;
    private final float[] noise;

    /** Copies the weights of a trained block; {@code samples} and {@code seed} as in {@link VaeScorer}. */
    public PlainJavaVaeScorer(VaeBlock block, int samples, long seed) {
        this.encoder = copy(block.encoderLayers());
        this.decoder = copy(block.decoderLayers());
        this.latent = block.architecture().latentSize();
        this.samples = samples;
        float[] raw = block.decoderLogVarParameter().getArray().toFloatArray();
        this.xLogVar = new float[raw.length];
        this.xVar = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            xLogVar[i] = (float) Math.max(block.architecture().minDecoderLogVar(), Math.min(6, raw[i]));
            xVar[i] = (float) Math.exp(xLogVar[i]);
        }
        // Same fixed noise, drawn the same way, as VaeScorer: identical scores for identical rows.
        this.noise = ImportanceSampling.fixedNoise(samples, latent, seed);
    }

    /** Scores one encoded row. */
    public EventScores score(float[] x) {
        float[] h = forward(encoder, x);
        float[] mu = new float[latent];
        float[] logVar = new float[latent];
        for (int j = 0; j < latent; j++) {
            mu[j] = h[j];
            logVar[j] = Math.max(-12f, Math.min(8f, h[latent + j]));
        }
        float[] mean0 = forward(decoder, mu);
        double reconstruction = 0;
        for (int d = 0; d < x.length; d++) {
            double e = x[d] - mean0[d];
            reconstruction += e * e;
        }
        reconstruction /= x.length;

        double kl = 0;
        for (int j = 0; j < latent; j++) {
            kl += 0.5 * (mu[j] * mu[j] + Math.exp(logVar[j]) - 1 - logVar[j]);
        }
        double[] logW = new double[samples];
        double meanLogPx = 0;
        float[] z = new float[latent];
        for (int k = 0; k < samples; k++) {
            double logPz = 0;
            double logQz = 0;
            for (int j = 0; j < latent; j++) {
                float eps = noise[k * latent + j];
                z[j] = mu[j] + (float) Math.exp(0.5 * logVar[j]) * eps;
                logPz += -0.5 * (LOG_2PI + z[j] * z[j]);
                logQz += -0.5 * (LOG_2PI + logVar[j] + eps * eps);
            }
            float[] mean = forward(decoder, z);
            double logPx = 0;
            for (int d = 0; d < x.length; d++) {
                double e = x[d] - mean[d];
                logPx += -0.5 * (LOG_2PI + xLogVar[d] + e * e / xVar[d]);
            }
            meanLogPx += logPx / samples;
            logW[k] = logPx + logPz - logQz;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double w : logW) {
            max = Math.max(max, w);
        }
        double sum = 0;
        for (double w : logW) {
            sum += Math.exp(w - max);
        }
        double iwae = -(max + Math.log(sum / samples));
        return new EventScores(reconstruction, -meanLogPx + kl, iwae);
    }

    /**
     * One encoded row reconstructed at its posterior mean, as {@link VaeScorer#score} computes it.
     *
     * @param mean         per input, the decoder's mean at z = E[q(z|x)]
     * @param columnErrors per input, 0.5 * (x - mean)^2 / variance, as {@link ScoredRow#columnErrors()}
     */
    public record Reconstruction(float[] mean, float[] columnErrors) {
    }

    /** Reconstructs one encoded row at its posterior mean (no sampling). */
    public Reconstruction reconstruct(float[] x) {
        float[] h = forward(encoder, x);
        float[] mu = new float[latent];
        System.arraycopy(h, 0, mu, 0, latent);
        float[] mean = forward(decoder, mu);
        float[] errors = new float[x.length];
        for (int d = 0; d < x.length; d++) {
            float e = x[d] - mean[d];
            errors[d] = 0.5f * e * e / xVar[d];
        }
        return new Reconstruction(mean, errors);
    }

    private static float[] forward(List<PlainDense> layers, float[] input) {
        float[] a = input;
        for (int l = 0; l < layers.size(); l++) {
            a = layers.get(l).apply(a, l < layers.size() - 1);
        }
        return a;
    }

    private static List<PlainDense> copy(List<Linear> layers) {
        List<PlainDense> out = new ArrayList<>();
        for (Linear layer : layers) {
            out.add(PlainDense.of(layer));
        }
        return out;
    }
}
