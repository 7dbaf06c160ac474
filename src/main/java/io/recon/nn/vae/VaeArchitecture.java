package io.recon.nn.vae;

import java.util.List;

/**
 * Shape of a fully connected VAE: input width, hidden layer widths of the encoder (the decoder
 * mirrors them), latent size, and the floor of the decoder's per-feature log-variance.
 *
 * @param inputSize         encoded feature vector width
 * @param hidden            encoder hidden layer widths, outermost first
 * @param latentSize        dimension of z
 * @param minDecoderLogVar  the decoder's Gaussian log-variance is clipped from below here, so a
 *                          feature that is constant in training cannot claim infinite precision
 */
public record VaeArchitecture(int inputSize, List<Integer> hidden, int latentSize, double minDecoderLogVar) {

    /** The default shape for a tabular input of {@code inputSize} columns. */
    public static VaeArchitecture forInput(int inputSize) {
        return new VaeArchitecture(inputSize, List.of(128, 64), 8, -4.6);
    }
}
