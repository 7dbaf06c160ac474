package io.recon.nn.diffusion;

/**
 * The sinusoidal embedding of a timestep (as in the Transformer and DDPM papers): the network must
 * know how much noise to expect. Computed in Java so that training and sampling lay it out alike.
 */
final class TimestepEmbedding {

    /** Sine-cosine pairs. */
    static final int FREQUENCIES = 16;
    /** Values written per timestep. */
    static final int WIDTH = 2 * FREQUENCIES;

    private TimestepEmbedding() {
    }

    /** Writes timestep {@code t}'s embedding into {@code out} from {@code at}. */
    static void write(float[] out, int at, int t) {
        for (int k = 0; k < FREQUENCIES; k++) {
            double angle = t * Math.exp(-Math.log(10_000) * k / FREQUENCIES);
            out[at + 2 * k] = (float) Math.sin(angle);
            out[at + 2 * k + 1] = (float) Math.cos(angle);
        }
    }
}
