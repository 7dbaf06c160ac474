package io.recon.nn.vae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.nn.BatchInput;

/**
 * Scores images with a trained {@link HierarchicalConvVaeBlock}, K fixed noise samples per level:
 * <ul>
 * <li>the two-level negative ELBO, -E[log p(x|z1) + log p(z1|z2) + log p(z2) - log q(z1|x) - log q(z2|x)],
 * both latents from the posterior;</li>
 * <li>the negative upper bound -L^{>1}: z2 from the posterior, z1 drawn from the learnt prior p(z1|z2)
 * instead, so only what z2 knows of the image is used (Havtorn et al. 2021); the gap between the two,
 * L - L^{>1}, is their likelihood-ratio score: an image the upper level does not describe loses more
 * when the lower level may not look at it;</li>
 * <li>the posterior means of both levels, for distance scores.</li>
 * </ul>
 * A benchmark scorer, run in batches of up to 100 images; each call its own NDManager scope.
 */
public final class HierarchicalVaeScorer {

    private static final int BATCH = 100;

    private final HierarchicalConvVaeBlock block;
    private final NDManager manager;
    private final int samples;
    private final float[] upperNoise;
    private final float[] lowerNoise;
    private final float[] priorNoise;

    /**
     * The scores of one image, nats (higher = more anomalous).
     *
     * @param negativeElbo      the two-level negative ELBO, K samples
     * @param negativeUpperElbo -L^{>1}: z1 drawn from p(z1|z2), K samples
     * @param lowerMean         posterior mean of z1
     * @param upperMean         posterior mean of z2
     */
    public record Scores(double negativeElbo, double negativeUpperElbo, float[] lowerMean, float[] upperMean) {

        /** L - L^{>1}: how much worse the image is explained when z1 may not look at it. */
        public double likelihoodRatio() {
            return negativeUpperElbo - negativeElbo;
        }
    }

    /**
     * @param samples K, per level
     * @param seed    seed of the fixed noise
     */
    public HierarchicalVaeScorer(HierarchicalConvVaeBlock block, NDManager manager, int samples, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("at least one sample, got " + samples);
        }
        this.block = block;
        this.manager = manager;
        this.samples = samples;
        Random random = new Random(seed);
        this.upperNoise = gaussians(random, samples * block.upperLatentSize());
        this.lowerNoise = gaussians(random, samples * block.lowerLatentSize());
        this.priorNoise = gaussians(random, samples * block.lowerLatentSize());
    }

    private static float[] gaussians(Random random, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** Every image's scores, in input order. */
    public List<Scores> score(List<float[]> images) {
        List<Scores> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += BATCH) {
            out.addAll(scoreBatch(images.subList(start, Math.min(images.size(), start + BATCH))));
        }
        return out;
    }

    private List<Scores> scoreBatch(List<float[]> images) {
        int n = images.size();
        int pixels = block.bottom().pixels();
        int lower = block.lowerLatentSize();
        int upper = block.upperLatentSize();
        int k = samples;
        float[] flat = BatchInput.flatten(images, pixels, "image", pixels + " pixels");
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x = scope.create(flat, new Shape(n, pixels));
            NDList q = block.encode(ps, x, false);
            NDArray mu1 = q.get(0);
            NDArray logVar1 = q.get(1);
            NDArray mu2 = q.get(2);
            NDArray logVar2 = q.get(3);
            // Each image's K samples as rows (image-major): (n * K, dimensions), beside its posterior
            // repeated K times, which the sampling and the log-densities below both read.
            NDArray mu2Rows = repeatRows(mu2, k);
            NDArray logVar2Rows = repeatRows(logVar2, k);
            NDArray mu1Rows = repeatRows(mu1, k);
            NDArray logVar1Rows = repeatRows(logVar1, k);
            NDArray z2 = samplesOf(mu2Rows, logVar2Rows, scope.create(upperNoise, new Shape(k, upper)), n);
            NDArray z1 = samplesOf(mu1Rows, logVar1Rows, scope.create(lowerNoise, new Shape(k, lower)), n);
            NDArray priorMean = block.lowerPriorMean(ps, z2, false);
            // p(z1|z2) has unit variance: a draw from it is its centre plus the noise.
            NDArray fromPrior = priorMean.add(scope.create(priorNoise, new Shape(k, lower)).tile(new long[] {n, 1}));
            NDArray repeated = x.reshape(n, 1, pixels).repeat(1, k).reshape(n * k, pixels);
            NDArray logits = block.decode(ps, z1.concat(fromPrior, 0), false);
            NDArray nll = block.bottom().likelihood()
                    .negativeLogLikelihood(repeated.concat(repeated, 0), logits).sum(new int[] {1});
            NDArray upperTerms = logStandardNormal(z2).sub(logNormal(z2, mu2Rows, logVar2Rows));
            NDArray lowerTerms = logStandardNormal(z1.sub(priorMean)).sub(logNormal(z1, mu1Rows, logVar1Rows));
            float[] elbo = nll.get("0:" + n * k).neg().add(lowerTerms).add(upperTerms).toFloatArray();
            float[] upperElbo = nll.get(n * k + ":").neg().add(upperTerms).toFloatArray();
            float[] lowerMeans = mu1.toFloatArray();
            float[] upperMeans = mu2.toFloatArray();
            List<Scores> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Scores(-mean(elbo, i * k, k), -mean(upperElbo, i * k, k),
                        Arrays.copyOfRange(lowerMeans, i * lower, (i + 1) * lower),
                        Arrays.copyOfRange(upperMeans, i * upper, (i + 1) * upper)));
            }
            return out;
        }
    }

    /**
     * mu + sigma * eps_k for every input row and every k: (rows * K, d), row-major by input row, from
     * the posterior already repeated K times per row ({@link #repeatRows}).
     */
    private static NDArray samplesOf(NDArray muRows, NDArray logVarRows, NDArray noise, int rows) {
        return muRows.add(logVarRows.mul(0.5).exp().mul(noise.tile(new long[] {rows, 1})));
    }

    /** Each row K times in a row: (rows, d) to (rows * K, d). */
    private static NDArray repeatRows(NDArray a, long k) {
        return a.repeat(0, k);
    }

    /** log N(z; mean, exp(logVar)) summed over each row. */
    private static NDArray logNormal(NDArray z, NDArray mean, NDArray logVar) {
        return z.sub(mean).square().div(logVar.exp()).add(logVar).add(GaussianLikelihood.LOG_2PI)
                .sum(new int[] {1}).mul(-0.5);
    }

    /** log N(z; 0, I) summed over each row. */
    private static NDArray logStandardNormal(NDArray z) {
        return z.square().add(GaussianLikelihood.LOG_2PI).sum(new int[] {1}).mul(-0.5);
    }

    private static double mean(float[] values, int at, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[at + i];
        }
        return sum / count;
    }
}
