package io.recon.nn.vae;

/**
 * The decoder side of a tabular VAE's scores: a Gaussian p(x | z) with the network's mean and one
 * learnt log-variance per input, giving the reconstruction error, each input's share of it, and
 * log p(x | z). Plain Java in doubles, in one fixed order, as {@link ImportanceSampling}; {@link
 * VaeScorer} and {@link PlainJavaVaeScorer} share it.
 *
 * <p>Arrays hold rows laid end to end; {@code xAt} and {@code meanAt} say where one row starts.
 */
final class GaussianLikelihood {

    /** log(2 pi), the constant of every Gaussian log-density here (shared by the package's scorers and loss). */
    static final double LOG_2PI = Math.log(2 * Math.PI);

    private final float[] xLogVar;
    private final double[] xPrecision;

    /** @param xLogVar the decoder's per-input log-variance, clipped as the decoder clips it */
    GaussianLikelihood(float[] xLogVar) {
        this.xLogVar = xLogVar.clone();
        this.xPrecision = new double[xLogVar.length];
        for (int d = 0; d < xLogVar.length; d++) {
            xPrecision[d] = Math.exp(-xLogVar[d]);
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
}
