package io.recon.nn.explainer;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;

/**
 * The training objective of both explainer transformers: hide each token of each row with
 * probability {@code rate} (at least one per row), run {@code [rows, mask]} through the network,
 * and average the negative log-likelihood of the hidden tokens. Masks are drawn in Java, so a seed
 * hides the same tokens on every CPU.
 */
final class MaskedTokenLoss {

    private MaskedTokenLoss() {
    }

    /** Mean negative log-likelihood over the hidden tokens of a batch (the network's first output). */
    static NDArray of(Trainer trainer, NDArray batch, int tokens, double rate, Random random) {
        int n = (int) batch.getShape().get(0);
        float[] mask = new float[n * tokens];
        for (int i = 0; i < n; i++) {
            boolean any = false;
            for (int t = 0; t < tokens; t++) {
                if (random.nextDouble() < rate) {
                    mask[i * tokens + t] = 1;
                    any = true;
                }
            }
            if (!any) {
                mask[i * tokens + random.nextInt(tokens)] = 1;
            }
        }
        NDArray m = batch.getManager().create(mask, new Shape(n, tokens));
        NDArray nll = trainer.forward(new NDList(batch, m)).get(0);
        return nll.mul(m).sum().div(m.sum());
    }
}
