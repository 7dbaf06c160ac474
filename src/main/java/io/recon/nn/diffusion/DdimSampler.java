package io.recon.nn.diffusion;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Draws samples from a trained noise predictor with DDIM (Song et al. 2021): from pure noise at step
 * T down a path of {@code steps} timesteps, each step estimating the clean sample from the predicted
 * noise and moving to the next timestep's noise level. {@code eta} = 0 is deterministic DDIM; 1 with
 * every step of T is the DDPM ancestral sampler. The network runs in DJL; the update and all noise
 * are Java arithmetic on seeded generators, each sample with its own, so a sample does not depend on
 * how many others were asked for. Rows and images alike: a sample is a flat vector.
 */
final class DdimSampler {

    /** The network's guess of the noise in {@code n} noisy samples at timestep {@code t}. */
    @FunctionalInterface
    interface NoisePredictor {
        float[] predict(float[] noisy, int n, int t);
    }

    private final CosineSchedule schedule;
    private final int width;
    private final float clip;
    private final int chunk;

    /**
     * @param width values per sample
     * @param clip  the clean-sample estimate is clipped to [-clip, clip]: at the noisiest steps an
     *              unclipped estimate can be wild, and the data's own range is known
     * @param chunk samples per network call
     */
    DdimSampler(CosineSchedule schedule, int width, float clip, int chunk) {
        this.schedule = schedule;
        this.width = width;
        this.clip = clip;
        this.chunk = chunk;
    }

    /** {@code count} samples, each {@code width} values. */
    float[][] sample(NoisePredictor network, int count, int steps, double eta, long seed) {
        int[] path = schedule.samplingPath(steps);
        float[][] out = new float[count][];
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int start = 0; start < count; start += chunk) {
            int n = Math.min(chunk, count - start);
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
                step(x, network.predict(x, n, t), n, t, next, eta, random);
            }
            for (int i = 0; i < n; i++) {
                out[start + i] = java.util.Arrays.copyOfRange(x, i * width, (i + 1) * width);
            }
        }
        return out;
    }

    /** One DDIM step from timestep {@code t} to {@code next} (0: the clean sample), in place. */
    private void step(float[] x, float[] eps, int n, int t, int next, double eta, Random[] random) {
        double ab = schedule.alphaBar(t);
        double abNext = schedule.alphaBar(next);
        double sigma = eta * Math.sqrt((1 - abNext) / (1 - ab)) * Math.sqrt(1 - ab / abNext);
        double towardNoise = Math.sqrt(Math.max(0, 1 - abNext - sigma * sigma));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                int k = i * width + j;
                double clean = (x[k] - Math.sqrt(1 - ab) * eps[k]) / Math.sqrt(ab);
                clean = Math.max(-clip, Math.min(clip, clean));
                // The noise that the clipped estimate implies, so that the step stays consistent.
                double implied = (x[k] - Math.sqrt(ab) * clean) / Math.sqrt(1 - ab);
                double z = sigma > 0 ? random[i].nextGaussian() : 0;
                x[k] = (float) (Math.sqrt(abNext) * clean + towardNoise * implied + sigma * z);
            }
        }
    }
}
