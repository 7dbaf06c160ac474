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
