package io.recon.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017): lambda * mean((||grad_xhat D(xhat)||_2 - 1)^2)
 * on random interpolates of real and fake packs, one interpolation weight per pack as in CTGAN.
 * Differentiable in the critic's weights, through {@link GanCriticBlock#scoreAndInputGradient}.
 */
final class GradientPenalty {

    private GradientPenalty() {
    }

    /**
     * @param realPacks packed real rows with their conditions (packs, pac * row width)
     * @param fakePacks packed generated rows, the same shape, without a graph to the generator
     * @param alpha     interpolation weights (packs, 1), uniform on [0, 1)
     * @param masks     the critic's dropout masks for this pass
     * @param weight    lambda (WGAN-GP and CTGAN: 10)
     */
    static NDArray of(GanCriticBlock critic, ParameterStore store, NDArray realPacks, NDArray fakePacks, NDArray alpha,
            GanCriticBlock.DropoutMasks masks, float weight) {
        NDArray xhat = realPacks.mul(alpha).add(fakePacks.mul(alpha.neg().add(1)));
        NDArray gradient = critic.scoreAndInputGradient(store, xhat, masks, true).get(1);
        // The epsilon keeps sqrt's derivative finite should a gradient vanish entirely.
        NDArray norm = gradient.square().sum(new int[] {1}).add(1e-12f).sqrt();
        return norm.sub(1).square().mean().mul(weight);
    }
}
