package io.recon.nn.gan;

import io.recon.nn.SkippedSteps;

/**
 * How a GAN's training went, for logs and a saved model's layout.
 *
 * @param seconds        wall time of training
 * @param wasserstein    the last epoch's mean estimate of the Wasserstein distance, mean D(real) - mean D(fake)
 * @param criticSteps    critic optimiser steps taken and skipped (non-finite gradients)
 * @param generatorSteps generator optimiser steps taken and skipped
 */
public record GanTrainingReport(double seconds, double wasserstein, SkippedSteps criticSteps,
        SkippedSteps generatorSteps) {
}
