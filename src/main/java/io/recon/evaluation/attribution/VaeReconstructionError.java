package io.recon.evaluation.attribution;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.nn.BatchInput;
import io.recon.nn.vae.VaeBlock;

/**
 * The VAE's reconstruction error of each row, as {@link io.recon.nn.vae.VaeScorer} defines it for
 * alerts (mean squared error of the decoder mean at z = E[q(z|x)], over the standardised inputs), in
 * batches of 1,024 rows. Computed here from the block's encoder and decoder alone: the scorer also
 * decodes its K importance samples for the other two scores, which sampled Shapley does not need and
 * which would make it several times slower (VaeAttributionTest checks that both give the same values).
 */
public final class VaeReconstructionError implements CoalitionValue {

    private static final int BATCH = 1024;

    private final VaeBlock block;
    private final NDManager manager;

    /**
     * @param block   the trained VAE
     * @param manager its model's manager (device and lifetime of the parameters)
     */
    public VaeReconstructionError(VaeBlock block, NDManager manager) {
        this.block = block;
        this.manager = manager;
    }

    @Override
    public double[] of(List<float[]> rows) {
        int width = block.architecture().inputSize();
        double[] out = new double[rows.size()];
        for (int start = 0; start < rows.size(); start += BATCH) {
            int n = Math.min(BATCH, rows.size() - start);
            float[] flat = BatchInput.flatten(rows, start, n, width, "row", Integer.toString(width));
            try (NDManager scope = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                NDArray x = scope.create(flat, new Shape(n, width));
                NDArray mean = block.decode(ps, block.encode(ps, x, false).get(0), false).get(0);
                float[] errors = x.sub(mean).square().mean(new int[] {1}).toFloatArray();
                for (int r = 0; r < n; r++) {
                    out[start + r] = errors[r];
                }
            }
        }
        return out;
    }
}
