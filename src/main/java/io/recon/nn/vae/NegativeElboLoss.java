package io.recon.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The VAE training objective: the negative ELBO of a diagonal Gaussian decoder and a standard
 * normal prior, averaged over the batch, with an optional weight on the KL term (warm-up).
 * Predictions are {@link VaeBlock}'s training outputs {@code [xMean, xLogVar, zMean, zLogVar]}.
 */
public final class NegativeElboLoss extends Loss {


    private volatile float klWeight = 1f;

    /** A loss with KL weight 1. */
    public NegativeElboLoss() {
        super("negative_elbo");
    }

    /**
     * The KL weight of epoch {@code epoch} (0-based) under a linear warm-up over {@code warmupEpochs}
     * epochs, reaching 1 at the last of them; every VAE family trains with it.
     */
    public static float warmupWeight(int epoch, int warmupEpochs) {
        return Math.min(1f, (epoch + 1f) / Math.max(1, warmupEpochs));
    }

    /** Sets the weight of the KL term, 0..1 (KL warm-up keeps the posterior from collapsing early). */
    public void setKlWeight(float weight) {
        this.klWeight = weight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return evaluate(labels.singletonOrThrow(), predictions, klWeight);
    }

    /** Mean over the batch of {@code -log p(x|z) + klWeight * KL(q(z|x) || p(z))}. */
    public static NDArray evaluate(NDArray x, NDList predictions, float klWeight) {
        NDArray xMean = predictions.get(0);
        NDArray xLogVar = predictions.get(1);
        NDArray zMean = predictions.get(2);
        NDArray zLogVar = predictions.get(3);
        NDArray nll = x.sub(xMean).square().div(xLogVar.exp()).add(xLogVar).add(GaussianLikelihood.LOG_2PI)
                .sum(new int[] {1}).mul(0.5);
        NDArray kl = Reparameterization.klToStandardNormal(zMean, zLogVar);
        return nll.add(kl.mul(klWeight)).mean();
    }
}
