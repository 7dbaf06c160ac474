package io.recon.nn.gan;

import io.recon.nn.SkippedSteps;

/**
 * How an image GAN's training went, for logs and a saved model's layout.
 *
 * @param seconds              wall time of training
 * @param discriminatorLoss    the last epoch's mean discriminator loss (2 log 2 = 1.386 when it cannot
 *                             tell real from fake at all)
 * @param generatorLoss        the last epoch's mean generator loss (log 2 = 0.693 at that balance)
 * @param discriminatorSteps   discriminator optimiser steps taken and skipped (non-finite gradients or loss)
 * @param generatorSteps       generator optimiser steps taken and skipped
 */
public record DcganTrainingReport(double seconds, double discriminatorLoss, double generatorLoss,
        SkippedSteps discriminatorSteps, SkippedSteps generatorSteps) {
}
