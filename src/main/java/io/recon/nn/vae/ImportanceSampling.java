package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The arithmetic every VAE scorer shares, whatever its decoder: fixed noise, latent samples
 * from q(z|x), and from the decoder's log-likelihoods the negative ELBO and the negative
 * importance-weighted bound. Shapes: K samples, B rows, L latent dimensions.
 */
final class ImportanceSampling {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private ImportanceSampling() {
    }

    /**
     * K x L standard normal draws from a seed, drawn once and reused for every batch, so the
     * same input always gets the same score (replays and retries give identical alerts).
     */
    static float[] fixedNoise(int samples, int latent, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("IWAE needs at least one sample, got " + samples);
        }
        Random random = new Random(seed);
        float[] noise = new float[samples * latent];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return noise;
    }

    /** z_k = mu + sigma * eps_k: (K, B, L) from mu and logVar (B, L) and eps (K, 1, L). */
    static NDArray latentSamples(NDArray mu, NDArray logVar, NDArray eps) {
        return mu.expandDims(0).add(logVar.mul(0.5).exp().expandDims(0).mul(eps));
    }

    /**
     * The two sampled scores per row: {@code [negativeElbo (B), negativeIwae (B)]}.
     *
     * @param logPx  log p(x | z_k), (K, B)
     * @param z      the samples, (K, B, L)
     * @param eps    their noise, (K, 1, L)
     * @param mu     posterior means, (B, L)
     * @param logVar posterior log-variances, (B, L)
     */
    static NDList negativeElboAndIwae(NDArray logPx, NDArray z, NDArray eps, NDArray mu, NDArray logVar) {
        NDArray logPz = z.square().add(LOG_2PI).sum(new int[] {2}).mul(-0.5);
        NDArray logQz = eps.square().add(logVar.expandDims(0)).add(LOG_2PI).sum(new int[] {2}).mul(-0.5);
        NDArray kl = mu.square().add(logVar.exp()).sub(1).sub(logVar).sum(new int[] {1}).mul(0.5);
        NDArray negElbo = logPx.mean(new int[] {0}).neg().add(kl);
        // log mean_k w_k with the max pulled out, so exp() cannot underflow to log(0).
        NDArray logW = logPx.add(logPz).sub(logQz);
        NDArray maxW = logW.max(new int[] {0}, true);
        NDArray iwae = logW.sub(maxW).exp().mean(new int[] {0}).log().add(maxW.squeeze(0)).neg();
        return new NDList(negElbo, iwae);
    }

    /** The three scores of each row, from the reconstruction error (B) and the two bounds. */
    static EventScores[] perRow(NDArray reconstruction, NDList bounds) {
        float[] recon = reconstruction.toFloatArray();
        float[] elbo = bounds.get(0).toFloatArray();
        float[] iw = bounds.get(1).toFloatArray();
        EventScores[] out = new EventScores[recon.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = new EventScores(recon[i], elbo[i], iw[i]);
        }
        return out;
    }
}
