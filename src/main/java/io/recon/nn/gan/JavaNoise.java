package io.recon.nn.gan;

import java.util.Random;

/**
 * Every random number of the GAN (latent noise, Gumbel noise, interpolation weights, dropout
 * masks) from a seeded {@link Random}, never from libtorch's generator: the same seed then gives
 * the same samples on every CPU, whatever kernels libtorch picks.
 */
final class JavaNoise {

    private JavaNoise() {
    }

    /** {@code n} standard normal values. */
    static float[] gaussian(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** {@code n} standard Gumbel values, -log(-log U); U kept off 0 and 1 so that none is infinite. */
    static float[] gumbel(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double u = Math.min(Math.max(random.nextDouble(), 1e-12), 1 - 1e-12);
            out[i] = (float) -Math.log(-Math.log(u));
        }
        return out;
    }

    /** {@code n} values uniform on [0, 1). */
    static float[] uniform(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextFloat();
        }
        return out;
    }

    /** An inverted-dropout mask: 0 with probability {@code rate}, else 1 / (1 - rate). */
    static float[] dropoutMask(Random random, int n, float rate) {
        float keep = 1f / (1f - rate);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextFloat() < rate ? 0f : keep;
        }
        return out;
    }
}
