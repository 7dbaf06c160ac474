package io.recon.cli.bench;

import io.recon.cli.args.CommandArgs;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.nn.vae.ConvVaeSettings;

/**
 * The convolutional VAE's training options, which both image benchmarks take: declared once here,
 * with each benchmark's own defaults, and read back into {@link ConvVaeSettings}.
 *
 * @param epochs    default passes over the training images
 * @param latent    default latent dimensions
 * @param batchSize default images per gradient step
 * @param klWarmup  default epochs over which the KL weight rises to 1
 */
record ConvVaeOptions(int epochs, int latent, int batchSize, int klWarmup) {

    /** {@code declarations} with the training options added. */
    CommandArgs.Declarations declareOn(CommandArgs.Declarations declarations) {
        return declarations
                .option("epochs", "N", Integer.toString(epochs), "passes over the training images")
                .option("latent", "N", Integer.toString(latent), "latent dimensions")
                .option("batch-size", "N", Integer.toString(batchSize), "images per gradient step")
                .option("learning-rate", "X", "0.001", "Adam's base learning rate")
                .option("kl-warmup", "N", Integer.toString(klWarmup), "epochs over which the KL weight rises to 1")
                .option("seed", "N", "42", "seed of everything random: initialisation, order, data and sampling")
                .option("likelihood", "L", "bernoulli", "bernoulli | continuous-bernoulli")
                .option("iwae-samples", "K", "16", "importance samples for -ELBO and IWAE");
    }

    /** The settings the parsed options give, for images of {@code side} pixels square. */
    static ConvVaeSettings read(CommandArgs a, int side, int downsamplings) {
        return new ConvVaeSettings(a.intValue("epochs"), a.intValue("latent"), a.intValue("batch-size"),
                a.doubleValue("learning-rate"), a.intValue("kl-warmup"), a.longValue("seed"),
                ConvVaeBlock.Likelihood.parse(a.get("likelihood")), a.intValue("iwae-samples"), side, downsamplings);
    }
}
