package io.recon.nn.vae;

import io.recon.event.EventScores;

/**
 * The arithmetic of a tabular VAE's scores for one row once the network has run: latent samples from
 * the fixed noise, the Gaussian log-likelihoods, and from them the reconstruction error, the negative
 * ELBO and the negative IWAE. Plain Java in doubles, in one fixed order, so a row's scores depend on the
 * row and the network's outputs alone (never on a batch's size, a vector width or a thread count), and
 * {@link VaeScorer} and {@link PlainJavaVaeScorer} share it.
 *
 * <p>Arrays hold rows laid end to end; {@code row} or {@code offset} arguments say where one starts.
 */
final class SampledScores {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final float[] noise;
    private final int samples;
    private final int latent;
    private final float[] xLogVar;
    private final double[] xPrecision;

    /**
     * @param noise   the fixed noise, K x L
     * @param samples K
     * @param latent  L
     * @param xLogVar the decoder's per-input log-variance, clipped as the decoder clips it
     */
    SampledScores(float[] noise, int samples, int latent, float[] xLogVar) {
        this.noise = noise;
        this.samples = samples;
        this.latent = latent;
        this.xLogVar = xLogVar.clone();
        this.xPrecision = new double[xLogVar.length];
        for (int d = 0; d < xLogVar.length; d++) {
            xPrecision[d] = Math.exp(-xLogVar[d]);
        }
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

    /** Mean over the inputs of (x - mean)^2: the reconstruction error at the posterior mean. */
    double reconstructionError(float[] x, int xAt, float[] mean, int meanAt) {
        int width = xLogVar.length;
        double sum = 0;
        for (int d = 0; d < width; d++) {
            double e = x[xAt + d] - mean[meanAt + d];
            sum += e * e;
        }
        return sum / width;
    }

    /** Per input, 0.5 * (x - mean)^2 / variance: each input's share of the reconstruction term. */
    float[] columnErrors(float[] x, int xAt, float[] mean, int meanAt) {
        float[] errors = new float[xLogVar.length];
        for (int d = 0; d < errors.length; d++) {
            double e = x[xAt + d] - mean[meanAt + d];
            errors[d] = (float) (0.5 * e * e * xPrecision[d]);
        }
        return errors;
    }

    /** log p(x | z) under the decoder's Gaussian with the given mean. */
    double logLikelihood(float[] x, int xAt, float[] mean, int meanAt) {
        double sum = 0;
        for (int d = 0; d < xLogVar.length; d++) {
            double e = x[xAt + d] - mean[meanAt + d];
            sum += LOG_2PI + xLogVar[d] + e * e * xPrecision[d];
        }
        return -0.5 * sum;
    }

    /** log w_k = log p(x | z_k) + log p(z_k) - log q(z_k | x), given log p(x | z_k). */
    double logWeight(double logLikelihood, float[] z, int zAt, int k, float[] logVar, int at) {
        double logPz = 0;
        double logQz = 0;
        for (int j = 0; j < latent; j++) {
            double zj = z[zAt + j];
            double eps = noise[k * latent + j];
            logPz += LOG_2PI + zj * zj;
            logQz += LOG_2PI + logVar[at + j] + eps * eps;
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
     * @param reconstructionError from {@link #reconstructionError}
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
