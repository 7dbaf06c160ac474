package io.recon.nn.vae;


/**
 * Hyper-parameters of one convolutional VAE training run, shared by the image benchmark commands
 * and the bundle writer.
 *
 * @param epochs        passes over the training images
 * @param latent        latent dimensions
 * @param batchSize     images per optimiser step
 * @param learningRate  Adam step size
 * @param klWarmup      epochs over which the KL weight rises linearly to 1
 * @param seed          seed of initialisation, shuffling, augmentation and the scoring noise
 * @param likelihood    pixel likelihood of the decoder
 * @param iwaeSamples   K, importance samples of -ELBO and IWAE at scoring time
 * @param side          image side in pixels
 * @param downsamplings stride-2 layers of the encoder
 */
public record ConvVaeSettings(int epochs, int latent, int batchSize, double learningRate, int klWarmup, long seed,
        ConvVaeBlock.Likelihood likelihood, int iwaeSamples, int side, int downsamplings) {

    /** Rejects settings no run can use. */
    public ConvVaeSettings {
        if (epochs < 1 || batchSize < 1 || iwaeSamples < 1 || latent < 1) {
            throw new IllegalArgumentException("--epochs, --batch-size, --latent and --iwae-samples must be positive");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--learning-rate must be positive, got " + learningRate);
        }
    }

    /** A fresh, uninitialised network of this geometry. */
    public ConvVaeBlock newBlock() {
        return new ConvVaeBlock(latent, likelihood, side, downsamplings);
    }

    /** The KL weight in epoch {@code epoch} (0-based): linear warm-up to 1. */
    public float klWeight(int epoch) {
        return NegativeElboLoss.warmupWeight(epoch, klWarmup);
    }
}
