package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.Random;

/**
 * The latent side of every VAE's sampled scores, whatever its decoder: K standard normal draws fixed
 * once from a seed, the samples z_k = mu + sigma * eps_k, their importance log-weights given the
 * decoder's log p(x | z_k), the KL to the prior, and from those the negative ELBO and the negative
 * IWAE. Plain Java in doubles, in one fixed order, so a row's scores depend on the row and the
 * network's outputs alone (never on a batch's size, a vector width or a thread count).
 *
 * <p>Arrays hold rows laid end to end; {@code at} arguments say where one row starts.
 */
final class ImportanceSampling {

    private final float[] noise;
    private final int samples;
    private final int latent;

    /**
     * K x L standard normal draws from {@code seed}, drawn once and reused for every batch, so the
     * same input always gets the same score (replays and retries give identical alerts).
     *
     * @param samples K, at least 1
     * @param latent  L
     */
    ImportanceSampling(int samples, int latent, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("IWAE needs at least one sample, got " + samples);
        }
        Random random = new Random(seed);
        this.noise = new float[samples * latent];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        this.samples = samples;
        this.latent = latent;
    }

    int samples() {
        return samples;
    }

    /**
     * Writes the first {@code count} samples z_k = mu + exp(logVar / 2) * eps_k of the row starting at
     * {@code at} into {@code z} from {@code zAt}, one after another.
     */
    void latentSamples(float[] mu, float[] logVar, int at, int count, float[] z, int zAt) {
        float[] sigma = new float[latent];
        for (int j = 0; j < latent; j++) {
            sigma[j] = (float) Math.exp(0.5 * logVar[at + j]);
        }
        for (int k = 0; k < count; k++) {
            for (int j = 0; j < latent; j++) {
                z[zAt + k * latent + j] = mu[at + j] + sigma[j] * noise[k * latent + j];
            }
        }
    }

    /** log w_k = log p(x | z_k) + log p(z_k) - log q(z_k | x), given log p(x | z_k). */
    double logWeight(double logLikelihood, float[] z, int zAt, int k, float[] logVar, int at) {
        double logPz = 0;
        double logQz = 0;
        for (int j = 0; j < latent; j++) {
            double zj = z[zAt + j];
            double eps = noise[k * latent + j];
            logPz += GaussianLikelihood.LOG_2PI + zj * zj;
            logQz += GaussianLikelihood.LOG_2PI + logVar[at + j] + eps * eps;
        }
        return logLikelihood - 0.5 * logPz + 0.5 * logQz;
    }

    /** KL(q(z | x) || N(0, I)) of the row starting at {@code at}. */
    double kl(float[] mu, float[] logVar, int at) {
        double sum = 0;
        for (int j = 0; j < latent; j++) {
            double m = mu[at + j];
            double lv = logVar[at + j];
            sum += m * m + Math.exp(lv) - 1 - lv;
        }
        return 0.5 * sum;
    }

    /**
     * The three scores from the K log-likelihoods and log-weights of one row.
     *
     * @param reconstructionError the decoder's error at the posterior mean
     * @param logLikelihoods      log p(x | z_k), K values
     * @param logWeights          log w_k, K values
     * @param kl                  from {@link #kl}
     */
    EventScores scores(double reconstructionError, double[] logLikelihoods, double[] logWeights, double kl) {
        double meanLogPx = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < samples; k++) {
            meanLogPx += logLikelihoods[k];
            max = Math.max(max, logWeights[k]);
        }
        // log mean_k w_k with the largest pulled out, so exp() cannot underflow to log(0).
        double sum = 0;
        for (double w : logWeights) {
            sum += Math.exp(w - max);
        }
        return new EventScores(reconstructionError, -meanLogPx / samples + kl, -(max + Math.log(sum / samples)));
    }
}
