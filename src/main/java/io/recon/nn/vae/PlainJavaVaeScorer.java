package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.ArrayList;
import java.util.Arrays;
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

    private final List<PlainDense> encoder;
    private final List<PlainDense> decoder;
    private final int latent;
    private final ImportanceSampling sampling;
    private final GaussianLikelihood likelihood;

    /** Copies the weights of a trained block; {@code samples} and {@code seed} as in {@link VaeScorer}. */
    public PlainJavaVaeScorer(VaeBlock block, int samples, long seed) {
        this.encoder = copy(block.encoderLayers());
        this.decoder = copy(block.decoderLayers());
        this.latent = block.architecture().latentSize();
        // Same fixed noise, drawn the same way, and the same arithmetic as VaeScorer: only the
        // network's forward pass is computed differently.
        this.sampling = new ImportanceSampling(samples, latent, seed);
        this.likelihood = new GaussianLikelihood(block.clippedDecoderLogVar());
    }

    /** Scores one encoded row. */
    public EventScores score(float[] x) {
        float[] h = forward(encoder, x);
        float[] mu = new float[latent];
        float[] logVar = new float[latent];
        for (int j = 0; j < latent; j++) {
            mu[j] = h[j];
            logVar[j] = Math.max(Reparameterization.MIN_LOG_VARIANCE,
                    Math.min(Reparameterization.MAX_LOG_VARIANCE, h[latent + j]));
        }
        int samples = sampling.samples();
        double[] logPx = new double[samples];
        double[] logW = new double[samples];
        float[] z = new float[samples * latent];
        sampling.latentSamples(mu, logVar, 0, samples, z, 0);
        for (int k = 0; k < samples; k++) {
            float[] zk = Arrays.copyOfRange(z, k * latent, (k + 1) * latent);
            logPx[k] = likelihood.logLikelihood(x, 0, forward(decoder, zk), 0);
            logW[k] = sampling.logWeight(logPx[k], zk, 0, k, logVar, 0);
        }
        double reconstruction = likelihood.reconstructionError(x, 0, forward(decoder, mu), 0);
        return sampling.scores(reconstruction, logPx, logW, sampling.kl(mu, logVar, 0));
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
        return new Reconstruction(mean, likelihood.columnErrors(x, 0, mean, 0));
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
