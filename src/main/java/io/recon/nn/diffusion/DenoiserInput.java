package io.recon.nn.diffusion;

/**
 * What the denoiser reads for one row: the noisy row x_t, a sinusoidal embedding of the timestep t
 * (as in the Transformer and DDPM papers: the network must know how much noise to expect) and the
 * one-hot class the row is conditioned on. Built in Java so that training and sampling lay it out
 * the same way.
 *
 * @param rowWidth the encoded row's width
 * @param classes  how many classes the one-hot condition has
 */
record DenoiserInput(int rowWidth, int classes) {

    /** Sine-cosine pairs in the timestep embedding. */
    static final int TIME_FREQUENCIES = 16;

    /** Width of one assembled input. */
    int width() {
        return rowWidth + 2 * TIME_FREQUENCIES + classes;
    }

    /** Writes row {@code r}'s input into {@code out} (n x width) from its noisy row, timestep and class. */
    void assemble(float[] out, int r, float[] noisy, int noisyOffset, int t, int cls) {
        int at = r * width();
        System.arraycopy(noisy, noisyOffset, out, at, rowWidth);
        at += rowWidth;
        for (int k = 0; k < TIME_FREQUENCIES; k++) {
            double angle = t * Math.exp(-Math.log(10_000) * k / TIME_FREQUENCIES);
            out[at + 2 * k] = (float) Math.sin(angle);
            out[at + 2 * k + 1] = (float) Math.cos(angle);
        }
        at += 2 * TIME_FREQUENCIES;
        out[at + cls] = 1f;
    }
}
