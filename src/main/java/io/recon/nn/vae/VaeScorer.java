package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.nn.BatchInput;

/**
 * Runs a trained {@link VaeBlock} over a batch of encoded rows and computes, per row, the
 * reconstruction error, the negative ELBO and the negative IWAE bound with K samples.
 *
 * <p>The K noise samples are drawn once from a fixed seed and reused for every batch, so the
 * same event always gets the same score: replays and retries produce identical alerts.
 * Thread-safe: each call works in its own NDManager scope, freed before returning.
 */
public final class VaeScorer {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final VaeBlock block;
    private final NDManager manager;
    private final int samples;
    private final float[] noise;

    /**
     * @param block   trained network
     * @param manager the model's manager (device and lifetime of the parameters)
     * @param samples K
     * @param seed    seed of the fixed noise
     */
    public VaeScorer(VaeBlock block, NDManager manager, int samples, long seed) {
        this.block = block;
        this.manager = manager;
        this.samples = samples;
        int latent = block.architecture().latentSize();
        this.noise = ImportanceSampling.fixedNoise(samples, latent, seed);
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
        int width = block.architecture().inputSize();
        int latent = block.architecture().latentSize();
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            AtPosteriorMean at = atPosteriorMean(scope, ps, rows);
            float[] reconstruction = at.reconstruction().toFloatArray();
            float[] errors = at.columnErrors().toFloatArray();
            float[] means = at.mean().toFloatArray();
            NDArray eps = scope.create(noise, new Shape(samples, 1, latent));
            NDArray eps1 = eps.get("0:1");
            NDArray z = ImportanceSampling.latentSamples(at.mu(), at.logVar(), eps1).squeeze(0);
            NDArray mean1 = block.decode(ps, z, false).get(0);
            NDArray logPx = at.x().sub(mean1).square().div(at.xLogVar().exp()).add(at.xLogVar()).add(LOG_2PI)
                    .sum(new int[] {1}).mul(-0.5).expandDims(0);
            float[] bound = ImportanceSampling.negativeLogWeight(logPx, z.expandDims(0), eps1, at.logVar()).add(
                    Math.log(samples)).toFloatArray();
            List<Integer> needFull = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (exact.test(i) || !settledBelow(bound[i], threshold)) {
                    needFull.add(i);
                }
            }
            EventScores[] full = needFull.isEmpty() ? new EventScores[0]
                    : secondStage(scope, ps, at, rows, needFull, eps, reconstruction);
            List<ScoredRow> out = new ArrayList<>(rows.size());
            for (int i = 0, next = 0; i < rows.size(); i++) {
                EventScores scores = next < needFull.size() && needFull.get(next) == i ? full[next++]
                        : new EventScores(reconstruction[i], Double.NaN, bound[i], true);
                out.add(new ScoredRow(scores, slice(errors, i, width), slice(means, i, width)));
            }
            return new TwoStageScores(out, needFull.size());
        }
    }

    /**
     * The K-sample scores of the rows {@code picked} (ascending) from their posterior, encoded once
     * in stage one: only the K decodes are left to do.
     */
    private EventScores[] secondStage(NDManager scope, ParameterStore ps, AtPosteriorMean at, List<float[]> rows,
            List<Integer> picked, NDArray eps, float[] reconstruction) {
        int width = block.architecture().inputSize();
        int latent = block.architecture().latentSize();
        int n = picked.size();
        List<float[]> pickedRows = new ArrayList<>(n);
        for (int i : picked) {
            pickedRows.add(rows.get(i));
        }
        NDArray x = scope.create(BatchInput.flatten(pickedRows, width, "row", width + " inputs"), new Shape(n, width));
        NDArray mu = rowsOf(scope, at.mu(), picked, latent);
        NDArray logVar = rowsOf(scope, at.logVar(), picked, latent);
        NDArray z = ImportanceSampling.latentSamples(mu, logVar, eps);
        NDArray meanK = block.decode(ps, z.reshape(samples * (long) n, latent), false).get(0)
                .reshape(samples, n, width);
        NDArray logPx = x.expandDims(0).sub(meanK).square().div(at.xLogVar().exp()).add(at.xLogVar()).add(LOG_2PI)
                .sum(new int[] {2}).mul(-0.5);
        float[] recon = new float[n];
        for (int j = 0; j < n; j++) {
            recon[j] = reconstruction[picked.get(j)];
        }
        return ImportanceSampling.perRow(scope.create(recon),
                ImportanceSampling.negativeElboAndIwae(logPx, z, eps, mu, logVar));
    }

    /** The rows {@code picked} of a (rows, width) array computed in stage one, as a new array of the scope. */
    private static NDArray rowsOf(NDManager scope, NDArray all, List<Integer> picked, int width) {
        float[] values = all.toFloatArray();
        float[] out = new float[picked.size() * width];
        for (int j = 0; j < picked.size(); j++) {
            System.arraycopy(values, picked.get(j) * width, out, j * width, width);
        }
        return scope.create(out, new Shape(picked.size(), width));
    }

    /**
     * Whether a first-stage bound settles a row as below the threshold: below it by more than
     * 1e-4 of its size (at least 1e-4 nats), which covers the float32 rounding of both the bound and
     * the full computation (their relative error is about 1e-6), so no decision can flip.
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
        int width = block.architecture().inputSize();
        int latent = block.architecture().latentSize();
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x = scope.create(BatchInput.flatten(rows, width, "row", width + " inputs"),
                    new Shape(rows.size(), width));
            NDList q = block.encode(ps, x, false);
            NDArray eps1 = scope.create(noise, new Shape(samples, 1, latent)).get("0:1");
            NDArray z = ImportanceSampling.latentSamples(q.get(0), q.get(1), eps1);
            NDList p = block.decode(ps, z.squeeze(0), false);
            NDArray logPx = x.sub(p.get(0)).square().div(p.get(1).exp()).add(p.get(1)).add(LOG_2PI)
                    .sum(new int[] {1}).mul(-0.5).expandDims(0);
            float[] bound = ImportanceSampling.negativeLogWeight(logPx, z, eps1, q.get(1)).toFloatArray();
            double[] out = new double[bound.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = bound[i];
            }
            return out;
        }
    }

    /** Scores rows (each of the model's input width); one DJL pass for the whole batch. */
    public List<ScoredRow> score(List<float[]> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        int batch = rows.size();
        int width = block.architecture().inputSize();
        int latent = block.architecture().latentSize();
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            AtPosteriorMean at = atPosteriorMean(scope, ps, rows);
            // K samples z_k = mu + sigma * eps_k, decoded in one pass of K * batch rows.
            NDArray eps = scope.create(noise, new Shape(samples, 1, latent));
            NDArray z = ImportanceSampling.latentSamples(at.mu(), at.logVar(), eps);
            NDArray meanK = block.decode(ps, z.reshape(samples * (long) batch, latent), false).get(0)
                    .reshape(samples, batch, width);
            NDArray logPx = at.x().expandDims(0).sub(meanK).square().div(at.xLogVar().exp()).add(at.xLogVar())
                    .add(LOG_2PI).sum(new int[] {2}).mul(-0.5);
            EventScores[] scores = ImportanceSampling.perRow(at.reconstruction(),
                    ImportanceSampling.negativeElboAndIwae(logPx, z, eps, at.mu(), at.logVar()));
            float[] errors = at.columnErrors().toFloatArray();
            float[] means = at.mean().toFloatArray();
            List<ScoredRow> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                out.add(new ScoredRow(scores[i], slice(errors, i, width), slice(means, i, width)));
            }
            return out;
        }
    }

    /**
     * A batch encoded and reconstructed at its posterior means, both stages' common part: inputs
     * {@code x}, posterior {@code mu} and {@code logVar}, the decoder's {@code mean} and per-input
     * {@code xLogVar} there, each row's {@code reconstruction} error and its per-input {@code
     * columnErrors} (0.5 * (x - mean)^2 / variance, the explanation).
     */
    private record AtPosteriorMean(NDArray x, NDArray mu, NDArray logVar, NDArray mean, NDArray xLogVar,
            NDArray reconstruction, NDArray columnErrors) {
    }

    private AtPosteriorMean atPosteriorMean(NDManager scope, ParameterStore ps, List<float[]> rows) {
        int width = block.architecture().inputSize();
        float[] flat = BatchInput.flatten(rows, width, "row", width + " inputs");
        NDArray x = scope.create(flat, new Shape(rows.size(), width));
        NDList q = block.encode(ps, x, false);
        NDList p0 = block.decode(ps, q.get(0), false);
        NDArray sq0 = x.sub(p0.get(0)).square();
        return new AtPosteriorMean(x, q.get(0), q.get(1), p0.get(0), p0.get(1), sq0.mean(new int[] {1}),
                sq0.div(p0.get(1).exp()).mul(0.5));
    }

    /** Row {@code i} of a flat row-major array of rows {@code width} wide. */
    private static float[] slice(float[] all, int i, int width) {
        float[] row = new float[width];
        System.arraycopy(all, i * width, row, 0, width);
        return row;
    }
}
