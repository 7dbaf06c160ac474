package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.ArrayList;
import java.util.List;

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
     * with {@link EventScores#bound()} set. Every other row is scored again by {@link #score}, K samples.
     */
    public TwoStageScores scoreTwoStage(List<float[]> rows, double threshold) {
        if (rows.isEmpty()) {
            return new TwoStageScores(List.of(), 0);
        }
        int batch = rows.size();
        int width = block.architecture().inputSize();
        int latent = block.architecture().latentSize();
        float[] flat = BatchInput.flatten(rows, width, "row", width + " inputs");
        List<ScoredRow> out = new ArrayList<>(batch);
        List<Integer> needFull = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x = scope.create(flat, new Shape(batch, width));
            NDList q = block.encode(ps, x, false);
            NDArray mu = q.get(0);
            NDArray logVar = q.get(1);
            // The posterior mean decoded exactly as score() decodes it, so the reconstruction error
            // and the explanation are the same to the bit; then the first fixed sample.
            NDList p0 = block.decode(ps, mu, false);
            NDArray mean0 = p0.get(0);
            NDArray xLogVar = p0.get(1);
            NDArray sq0 = x.sub(mean0).square();
            float[] reconstruction = sq0.mean(new int[] {1}).toFloatArray();
            float[] errors = sq0.div(xLogVar.exp()).mul(0.5).toFloatArray();
            NDArray eps = scope.create(noise, new Shape(samples, 1, latent)).get("0:1");
            NDArray z = ImportanceSampling.latentSamples(mu, logVar, eps).squeeze(0);
            NDArray mean1 = block.decode(ps, z, false).get(0);
            NDArray logPx = x.sub(mean1).square().div(xLogVar.exp()).add(xLogVar).add(LOG_2PI)
                    .sum(new int[] {1}).mul(-0.5).expandDims(0);
            float[] bound = ImportanceSampling.negativeLogWeight(logPx, z.expandDims(0), eps, logVar).add(
                    Math.log(samples)).toFloatArray();
            float[] means = mean0.toFloatArray();
            for (int i = 0; i < batch; i++) {
                if (settledBelow(bound[i], threshold)) {
                    float[] e = new float[width];
                    float[] m = new float[width];
                    System.arraycopy(errors, i * width, e, 0, width);
                    System.arraycopy(means, i * width, m, 0, width);
                    out.add(new ScoredRow(new EventScores(reconstruction[i], Double.NaN, bound[i], true), e, m));
                } else {
                    out.add(null);
                    needFull.add(i);
                }
            }
        }
        List<float[]> second = new ArrayList<>(needFull.size());
        for (int i : needFull) {
            second.add(rows.get(i));
        }
        List<ScoredRow> full = score(second);
        for (int j = 0; j < needFull.size(); j++) {
            out.set(needFull.get(j), full.get(j));
        }
        return new TwoStageScores(out, needFull.size());
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

    /** Scores rows (each of the model's input width); one DJL pass for the whole batch. */
    public List<ScoredRow> score(List<float[]> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        int batch = rows.size();
        int width = block.architecture().inputSize();
        int latent = block.architecture().latentSize();
        float[] flat = BatchInput.flatten(rows, width, "row", width + " inputs");
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x = scope.create(flat, new Shape(batch, width));
            NDList q = block.encode(ps, x, false);
            NDArray mu = q.get(0);
            NDArray logVar = q.get(1);

            // Reconstruction at the posterior mean: the error and the per-input explanation.
            NDList p0 = block.decode(ps, mu, false);
            NDArray mean0 = p0.get(0);
            NDArray xLogVar = p0.get(1);
            NDArray sq0 = x.sub(mean0).square();
            NDArray reconstruction = sq0.mean(new int[] {1});
            NDArray columnErrors = sq0.div(xLogVar.exp()).mul(0.5);

            // K samples z_k = mu + sigma * eps_k, decoded in one pass of K * batch rows.
            NDArray eps = scope.create(noise, new Shape(samples, 1, latent));
            NDArray z = ImportanceSampling.latentSamples(mu, logVar, eps);
            NDArray meanK = block.decode(ps, z.reshape(samples * (long) batch, latent), false).get(0)
                    .reshape(samples, batch, width);
            NDArray logPx = x.expandDims(0).sub(meanK).square().div(xLogVar.exp()).add(xLogVar).add(LOG_2PI)
                    .sum(new int[] {2}).mul(-0.5);
            EventScores[] scores = ImportanceSampling.perRow(reconstruction,
                    ImportanceSampling.negativeElboAndIwae(logPx, z, eps, mu, logVar));

            float[] errors = columnErrors.toFloatArray();
            float[] means = mean0.toFloatArray();
            List<ScoredRow> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                float[] e = new float[width];
                float[] m = new float[width];
                System.arraycopy(errors, i * width, e, 0, width);
                System.arraycopy(means, i * width, m, 0, width);
                out.add(new ScoredRow(scores[i], e, m));
            }
            return out;
        }
    }
}
