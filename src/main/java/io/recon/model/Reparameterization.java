package io.recon.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** The reparameterisation trick both VAE blocks train with: z = mu + sigma * eps, eps ~ N(0, I). */
final class Reparameterization {

    private Reparameterization() {
    }

    /** One sample of z per row, differentiable in mu and logVar. */
    static NDArray sample(NDArray zMean, NDArray zLogVar) {
        NDArray eps = zMean.getManager().randomNormal(0f, 1f, zMean.getShape(), DataType.FLOAT32);
        return zMean.add(zLogVar.mul(0.5).exp().mul(eps));
    }
}
