package io.recon.nn.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The posterior q(z|x) as both VAE blocks parameterise and sample it: z = mu + sigma * eps,
 * eps ~ N(0, I), with the encoder's log-variance kept in a finite range.
 */
final class Reparameterization {

    /** The encoder's log-variance is held in [MIN, MAX] so that exp() stays finite on wild inputs. */
    static final float MIN_LOG_VARIANCE = -12f;
    /** See {@link #MIN_LOG_VARIANCE}. */
    static final float MAX_LOG_VARIANCE = 8f;

    private Reparameterization() {
    }

    /** One sample of z per row, differentiable in mu and logVar. */
    static NDArray sample(NDArray zMean, NDArray zLogVar) {
        NDArray eps = zMean.getManager().randomNormal(0f, 1f, zMean.getShape(), DataType.FLOAT32);
        return zMean.add(zLogVar.mul(0.5).exp().mul(eps));
    }

    /**
     * KL(N(mean, exp(logVar)) || N(0, I)) of each row, in closed form: every VAE's KL term (and, about
     * a learnt centre, the two-level VAE's lower one).
     */
    static NDArray klToStandardNormal(NDArray mean, NDArray logVar) {
        return mean.square().add(logVar.exp()).sub(1).sub(logVar).sum(new int[] {1}).mul(0.5);
    }

    /**
     * The raw log-variance clipped to [{@link #MIN_LOG_VARIANCE}, {@link #MAX_LOG_VARIANCE}] in value,
     * with the gradient of the identity (a straight-through clip). A hard clip has zero gradient
     * outside its range, so a unit pushed past it early in training could never be pulled back;
     * here the KL term keeps pulling. Values, and so every score, are those of the plain clip.
     */
    static NDArray boundedLogVariance(NDArray raw) {
        return raw.add(raw.clip(MIN_LOG_VARIANCE, MAX_LOG_VARIANCE).sub(raw).stopGradient());
    }
}
