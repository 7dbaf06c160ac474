package io.recon.nn.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * New rows from a trained tabular VAE, the generative model it already is: z from the prior
 * N(0, I), then x from the decoder's Gaussian p(x | z) (its mean plus its own noise). A baseline
 * that a GAN or a diffusion model has to beat. The noise comes from a seeded Java generator, so the
 * same seed gives the same rows on any CPU.
 */
public final class PriorSampler {

    private static final int BATCH = 1024;

    private PriorSampler() {
    }

    /** {@code count} encoded rows (the model's input space). */
    public static List<float[]> sample(VaeBlock block, NDManager manager, int count, long seed) {
        Random random = new Random(seed);
        int latent = block.architecture().latentSize();
        int width = block.architecture().inputSize();
        List<float[]> out = new ArrayList<>(count);
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            try (NDManager scope = manager.newSubManager()) {
                NDArray z = scope.create(gaussian(random, n * latent), new Shape(n, latent));
                NDList p = block.decode(new ParameterStore(scope, false), z, false);
                float[] mean = p.get(0).toFloatArray();
                float[] sd = p.get(1).mul(0.5).exp().toFloatArray(); // one per column
                for (int i = 0; i < n; i++) {
                    float[] row = new float[width];
                    for (int c = 0; c < width; c++) {
                        row[c] = (float) (mean[i * width + c] + sd[c % sd.length] * random.nextGaussian());
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    private static float[] gaussian(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
