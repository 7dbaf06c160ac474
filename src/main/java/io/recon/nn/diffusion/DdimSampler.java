package io.recon.nn.diffusion;

import java.util.Random;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Draws encoded rows from a trained denoiser with DDIM (Song et al. 2021): from pure noise at step
 * T down a path of {@code steps} timesteps, each step estimating the clean row from the predicted
 * noise and moving to the next timestep's noise level. {@code eta} = 0 is deterministic DDIM; 1 with
 * every step of T is the DDPM ancestral sampler. The network runs in DJL; the update and all noise
 * are Java arithmetic on seeded generators, each row with its own, so a row does not depend on how
 * many others were asked for.
 */
final class DdimSampler {

    /** Rows per forward pass. */
    private static final int CHUNK = 1024;
    /**
     * The clean-row estimate is clipped to this: the quantile scores lie within ±3.1 and the
     * one-hot slots at ±1, and at the noisiest steps an unclipped estimate can be wild.
     */
    static final float CLIP = 3.5f;

    private final Block denoiser;
    private final NDManager manager;
    private final CosineSchedule schedule;
    private final DenoiserInput input;

    DdimSampler(Block denoiser, NDManager manager, CosineSchedule schedule, DenoiserInput input) {
        this.denoiser = denoiser;
        this.manager = manager;
        this.schedule = schedule;
        this.input = input;
    }

    /** {@code count} encoded rows of class {@code cls}. */
    float[][] sample(int cls, int count, int steps, double eta, long seed) {
        int[] path = schedule.samplingPath(steps);
        int width = input.rowWidth();
        float[][] out = new float[count][];
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int start = 0; start < count; start += CHUNK) {
            int n = Math.min(CHUNK, count - start);
            Random[] random = new Random[n];
            float[] x = new float[n * width];
            for (int i = 0; i < n; i++) {
                random[i] = new Random(seeds.nextLong());
                for (int j = 0; j < width; j++) {
                    x[i * width + j] = (float) random[i].nextGaussian();
                }
            }
            for (int s = 0; s < path.length; s++) {
                int t = path[s];
                int next = s + 1 < path.length ? path[s + 1] : 0;
                step(x, predictNoise(x, n, t, cls), n, t, next, eta, random);
            }
            for (int i = 0; i < n; i++) {
                out[start + i] = java.util.Arrays.copyOfRange(x, i * width, (i + 1) * width);
            }
        }
        return out;
    }

    private float[] predictNoise(float[] x, int n, int t, int cls) {
        float[] assembled = new float[n * input.width()];
        for (int i = 0; i < n; i++) {
            input.assemble(assembled, i, x, i * input.rowWidth(), t, cls);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(assembled, new Shape(n, input.width()));
            return denoiser.forward(new ParameterStore(scope, false), new NDList(in), false).singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** One DDIM step from timestep {@code t} to {@code next} (0: the clean row), in place. */
    private void step(float[] x, float[] eps, int n, int t, int next, double eta, Random[] random) {
        double ab = schedule.alphaBar(t);
        double abNext = schedule.alphaBar(next);
        double sigma = eta * Math.sqrt((1 - abNext) / (1 - ab)) * Math.sqrt(1 - ab / abNext);
        double towardNoise = Math.sqrt(Math.max(0, 1 - abNext - sigma * sigma));
        int width = input.rowWidth();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                int k = i * width + j;
                double clean = (x[k] - Math.sqrt(1 - ab) * eps[k]) / Math.sqrt(ab);
                clean = Math.max(-CLIP, Math.min(CLIP, clean));
                // The noise that the clipped estimate implies, so that the step stays consistent.
                double implied = (x[k] - Math.sqrt(ab) * clean) / Math.sqrt(1 - ab);
                double z = sigma > 0 ? random[i].nextGaussian() : 0;
                x[k] = (float) (Math.sqrt(abNext) * clean + towardNoise * implied + sigma * z);
            }
        }
    }
}
