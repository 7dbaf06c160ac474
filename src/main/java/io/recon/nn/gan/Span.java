package io.recon.nn.gan;

/**
 * A run of encoded columns that the generator's output activates together.
 *
 * @param start first encoded column
 * @param width encoded columns
 * @param kind  how the generator's raw output becomes values there
 */
public record Span(int start, int width, Kind kind) {

    /** The activations of CTGAN's generator. */
    public enum Kind {
        /** A mode-normalised value's alpha, in (-1, 1): tanh. */
        ALPHA,
        /** A one-hot choice (a mode or a category): Gumbel-softmax. */
        ONE_HOT
    }

    /** One past the last encoded column. */
    public int end() {
        return start + width;
    }
}
