package io.recon.nn.diffusion;

/**
 * What the denoiser reads for one row: the noisy row x_t, the {@link TimestepEmbedding} of t and
 * the one-hot class the row is conditioned on. Built in Java so that training and sampling lay it
 * out the same way.
 *
 * @param rowWidth the encoded row's width
 * @param classes  how many classes the one-hot condition has
 */
record DenoiserInput(int rowWidth, int classes) {

    /** Width of one assembled input. */
    int width() {
        return rowWidth + TimestepEmbedding.WIDTH + classes;
    }

    /** Writes row {@code r}'s input into {@code out} (n x width) from its noisy row, timestep and class. */
    void assemble(float[] out, int r, float[] noisy, int noisyOffset, int t, int cls) {
        int at = r * width();
        System.arraycopy(noisy, noisyOffset, out, at, rowWidth);
        at += rowWidth;
        TimestepEmbedding.write(out, at, t);
        at += TimestepEmbedding.WIDTH;
        out[at + cls] = 1f;
    }
}
