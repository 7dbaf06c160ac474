package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.nn.BatchInput;

/**
 * Runs a trained {@link VaeBlock} over a batch of encoded rows and computes, per row, the
 * reconstruction error, the negative ELBO and the negative IWAE bound with K samples.
 *
 * <p>The K noise samples are drawn once from a fixed seed and reused for every batch, and the
 * network runs in calls of one fixed shape ({@link FixedShapeForward}) with the rest of the
 * arithmetic in plain Java ({@link ImportanceSampling}, {@link GaussianLikelihood}): the same row
 * always gets the same scores, to the last bit, whatever batch it comes in and in either stage of
 * {@link #scoreTwoStage}. Replays and retries produce identical alerts.
 * Thread-safe: each call works in its own NDManager scope, freed before returning.
 */
public final class VaeScorer {

    private final VaeBlock block;
    private final NDManager manager;
    private final int rowsPerCall;
    private final ImportanceSampling sampling;
    private final GaussianLikelihood likelihood;

    /**
     * @param block   trained network
     * @param manager the model's manager (device and lifetime of the parameters)
     * @param samples K
     * @param seed    seed of the fixed noise
     */
    public VaeScorer(VaeBlock block, NDManager manager, int samples, long seed) {
        this.block = block;
        this.manager = manager;
        VaeArchitecture architecture = block.architecture();
        int widest = Math.max(architecture.inputSize(), 2 * architecture.latentSize());
        for (int units : architecture.hidden()) {
            widest = Math.max(widest, units);
        }
        this.rowsPerCall = FixedShapeForward.rowsPerCall(widest);
        this.sampling = new ImportanceSampling(samples, architecture.latentSize(), seed);
        this.likelihood = new GaussianLikelihood(block.clippedDecoderLogVar());
    }

    /** The device the parameters live on. */
    public Device device() {
        return manager.getDevice();
    }

    /**
     * Scores rows for the alert rule "negative IWAE above {@code threshold}" in two stages, with the
     * same decisions as {@link #score} and, for every row that can alert, the same scores.
     *
     * <p>With the fixed noise, IWAE_K = log((1/K) sum_k w_k) >= log w_1 - log K, so the negative
     * bound never exceeds -log w_1 + log K. Stage one decodes the posterior mean (the reconstruction
     * error and its explanation) and the first fixed sample only; a row whose bound stays below the
     * threshold by more than float rounding ({@link #settledBelow}) cannot alert and is returned
     * with {@link EventScores#bound()} set. Every other row gets the K samples of {@link #score}, decoded
     * from the posterior stage one already computed.
     */
    public TwoStageScores scoreTwoStage(List<float[]> rows, double threshold) {
        return scoreTwoStage(rows, threshold, i -> false);
    }

    /**
     * As {@link #scoreTwoStage(List, double)}, and the rows {@code exact} picks get the K samples
     * whatever their bound (a sample of true scores, for a caller that watches their distribution).
     */
    public TwoStageScores scoreTwoStage(List<float[]> rows, double threshold, IntPredicate exact) {
        if (rows.isEmpty()) {
            return new TwoStageScores(List.of(), 0);
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            Posterior posterior = encode(scope, ps, rows);
            float[] mean = decode(scope, ps, posterior.mu(), rows.size());
            double[] bound = negativeFirstLogWeights(scope, ps, posterior);
            List<Integer> needFull = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                bound[i] += Math.log(sampling.samples());
                if (exact.test(i) || !settledBelow(bound[i], threshold)) {
                    needFull.add(i);
                }
            }
            EventScores[] full = sampled(scope, ps, posterior, mean, needFull);
            List<ScoredRow> out = new ArrayList<>(rows.size());
            for (int i = 0, next = 0; i < rows.size(); i++) {
                EventScores scores = next < needFull.size() && needFull.get(next) == i ? full[next++]
                        : new EventScores(likelihood.reconstructionError(posterior.x(), i * posterior.width(), mean,
                                i * posterior.width()), Double.NaN, bound[i], true);
                out.add(explained(posterior, mean, i, scores));
            }
            return new TwoStageScores(out, needFull.size());
        }
    }

    /**
     * Whether a first-stage bound settles a row as below the threshold: below it by more than
     * 1e-4 of its size (at least 1e-4 nats), which covers the float32 rounding of the network's
     * outputs that both the bound and the full computation start from, so no decision can flip.
     */
    static boolean settledBelow(double bound, double threshold) {
        return bound < threshold - 1e-4 * Math.max(1, Math.abs(threshold));
    }

    /**
     * Rows scored by {@link #scoreTwoStage}, in input order.
     *
     * @param rows     one per input row
     * @param fullRows how many needed the second stage
     */
    public record TwoStageScores(List<ScoredRow> rows, int fullRows) {
    }

    /**
     * Each row's -log w_1 = -(log p(x | z_1) + log p(z_1) - log q(z_1 | x)), z_1 drawn with the first
     * sample of the fixed noise: the -IWAE bound with one sample, as {@link #score} gives it for a
     * scorer of K = 1, without the reconstruction at the posterior mean. For rankings that score
     * many variants of a row (the explainer's repair gain), where only this bound is read.
     */
    public double[] oneSampleBound(List<float[]> rows) {
        if (rows.isEmpty()) {
            return new double[0];
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            return negativeFirstLogWeights(scope, ps, encode(scope, ps, rows));
        }
    }

    /** Scores rows (each of the model's input width). */
    public List<ScoredRow> score(List<float[]> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            Posterior posterior = encode(scope, ps, rows);
            float[] mean = decode(scope, ps, posterior.mu(), rows.size());
            List<Integer> all = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                all.add(i);
            }
            EventScores[] scores = sampled(scope, ps, posterior, mean, all);
            List<ScoredRow> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                out.add(explained(posterior, mean, i, scores[i]));
            }
            return out;
        }
    }

    /**
     * The K-sample scores of the rows {@code picked} (ascending): K latent samples each, decoded in
     * one pass of fixed-shape calls, then the plain-Java arithmetic.
     */
    private EventScores[] sampled(NDManager scope, ParameterStore ps, Posterior posterior, float[] mean,
            List<Integer> picked) {
        if (picked.isEmpty()) {
            return new EventScores[0];
        }
        int latent = posterior.latent();
        int width = posterior.width();
        int samples = sampling.samples();
        float[] z = new float[picked.size() * samples * latent];
        for (int j = 0; j < picked.size(); j++) {
            sampling.latentSamples(posterior.mu(), posterior.logVar(), picked.get(j) * latent, samples, z,
                    j * samples * latent);
        }
        float[] meanK = decode(scope, ps, z, picked.size() * samples);
        EventScores[] out = new EventScores[picked.size()];
        double[] logPx = new double[samples];
        double[] logW = new double[samples];
        for (int j = 0; j < picked.size(); j++) {
            int i = picked.get(j);
            for (int k = 0; k < samples; k++) {
                int sample = j * samples + k;
                logPx[k] = likelihood.logLikelihood(posterior.x(), i * width, meanK, sample * width);
                logW[k] = sampling.logWeight(logPx[k], z, sample * latent, k, posterior.logVar(), i * latent);
            }
            out[j] = sampling.scores(likelihood.reconstructionError(posterior.x(), i * width, mean, i * width),
                    logPx, logW, sampling.kl(posterior.mu(), posterior.logVar(), i * latent));
        }
        return out;
    }

    /** -log w_1 of every row: the first fixed sample decoded, no reconstruction at the mean. */
    private double[] negativeFirstLogWeights(NDManager scope, ParameterStore ps, Posterior posterior) {
        int latent = posterior.latent();
        int width = posterior.width();
        int n = posterior.rows();
        float[] z = new float[n * latent];
        for (int i = 0; i < n; i++) {
            sampling.latentSamples(posterior.mu(), posterior.logVar(), i * latent, 1, z, i * latent);
        }
        float[] mean1 = decode(scope, ps, z, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double logPx = likelihood.logLikelihood(posterior.x(), i * width, mean1, i * width);
            out[i] = -sampling.logWeight(logPx, z, i * latent, 0, posterior.logVar(), i * latent);
        }
        return out;
    }

    private ScoredRow explained(Posterior posterior, float[] mean, int i, EventScores scores) {
        int width = posterior.width();
        float[] reconstructed = new float[width];
        System.arraycopy(mean, i * width, reconstructed, 0, width);
        return new ScoredRow(scores, likelihood.columnErrors(posterior.x(), i * width, mean, i * width), reconstructed);
    }

    /**
     * A batch's inputs {@code x} and its posterior q(z|x), {@code mu} and {@code logVar}, each as rows
     * laid end to end.
     */
    private record Posterior(float[] x, float[] mu, float[] logVar, int rows, int width, int latent) {
    }

    private Posterior encode(NDManager scope, ParameterStore ps, List<float[]> rows) {
        VaeArchitecture architecture = block.architecture();
        int width = architecture.inputSize();
        float[] x = BatchInput.flatten(rows, width, "row", width + " inputs");
        float[][] q = FixedShapeForward.apply(scope, x, rows.size(), width, rowsPerCall,
                in -> block.encode(ps, in, false));
        return new Posterior(x, q[0], q[1], rows.size(), width, architecture.latentSize());
    }

    /** The decoder's mean for {@code count} latent rows. */
    private float[] decode(NDManager scope, ParameterStore ps, float[] z, int count) {
        return FixedShapeForward.apply(scope, z, count, block.architecture().latentSize(), rowsPerCall,
                in -> new NDList(block.decodeMean(ps, in, false)))[0];
    }
}
