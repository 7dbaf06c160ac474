package io.recon.nn.gan;

import ai.djl.ndarray.NDArray;

/**
 * The standard GAN objective on discriminator logits l (Goodfellow et al. 2014, with the generator's
 * non-saturating loss): the discriminator minimises mean softplus(-l(real)) + mean softplus(l(fake)),
 * the binary cross-entropy of real as 1 and fake as 0; the generator minimises mean softplus(-l(fake)),
 * which keeps its gradient large where the discriminator rejects its images with confidence.
 */
final class NonSaturatingGanLoss {

    private NonSaturatingGanLoss() {
    }

    /** The discriminator's loss for logits of a real and a fake batch. */
    static NDArray discriminator(NDArray realLogits, NDArray fakeLogits) {
        return softplus(realLogits.neg()).mean().add(softplus(fakeLogits).mean());
    }

    /** The generator's loss for the discriminator's logits of its batch. */
    static NDArray generator(NDArray fakeLogits) {
        return softplus(fakeLogits.neg()).mean();
    }

    /** log(1 + e^l) as max(l, 0) + log(1 + e^-|l|): no overflow for logits of any size. */
    static NDArray softplus(NDArray l) {
        return l.maximum(0f).add(l.abs().neg().exp().add(1f).log());
    }
}
