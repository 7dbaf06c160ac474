package io.recon.evaluation.attribution;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.recon.feature.FeatureEncoder;
import io.recon.nn.BatchInput;
import io.recon.nn.vae.NegativeElboLoss;
import io.recon.nn.vae.VaeBlock;

/**
 * Gradient x input of the VAE's negative ELBO: for each model input c of a row x,
 * {@code d(-ELBO)/dx_c * (x_c - reference_c)}, summed over the inputs of each feature (a category's
 * one-hot block has several). The negative ELBO here is the training objective
 * ({@link NegativeElboLoss}, KL weight 1) with the latent fixed at the posterior mean, z = E[q(z|x)],
 * instead of a random sample, so the same row always gets the same attribution; the gradient flows
 * through the decoder's fit and, via z and the KL term, through the encoder. The network runs in
 * inference mode; only the input asks for a gradient. Signed: positive where moving the feature from
 * the reference to its value raised the negative ELBO (to first order); rank by magnitude.
 */
public final class ElboGradientTimesInput implements FeatureAttribution {

    /** Rows per autograd pass. */
    private static final int BATCH = 1024;

    private final VaeBlock block;
    private final NDManager manager;
    private final FeatureEncoder encoder;
    private final float[] reference;

    /**
     * @param block     the trained VAE
     * @param manager   its model's manager (device and lifetime of the parameters)
     * @param encoder   the VAE's feature encoder
     * @param reference the reference row ({@link ReferenceRow}), of the encoder's width
     */
    public ElboGradientTimesInput(VaeBlock block, NDManager manager, FeatureEncoder encoder, float[] reference) {
        if (reference.length != encoder.width() || encoder.width() != block.architecture().inputSize()) {
            throw new IllegalArgumentException("the reference (" + reference.length + "), the encoder ("
                    + encoder.width() + ") and the VAE (" + block.architecture().inputSize()
                    + ") must have the same width");
        }
        this.block = block;
        this.manager = manager;
        this.encoder = encoder;
        this.reference = reference.clone();
    }

    @Override
    public double[][] attribute(List<float[]> rows) {
        int width = encoder.width();
        double[][] out = new double[rows.size()][encoder.specs().size()];
        for (int start = 0; start < rows.size(); start += BATCH) {
            int n = Math.min(BATCH, rows.size() - start);
            float[] flat = BatchInput.flatten(rows, start, n, width, "row", Integer.toString(width));
            float[] gradient = inputGradient(flat, n);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < width; c++) {
                    int at = r * width + c;
                    out[start + r][encoder.featureOfColumn(c)] += (double) gradient[at] * (flat[at] - reference[c]);
                }
            }
        }
        return out;
    }

    /** d(sum over rows of -ELBO)/dx: each row's own gradient, since rows do not interact. */
    private float[] inputGradient(float[] flat, int n) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray x = scope.create(flat, new Shape(n, encoder.width()));
            x.setRequiresGradient(true);
            // training = false: VaeBlock then decodes z = zMean, no sampling.
            NDList predictions = block.forward(new ParameterStore(scope, false), new NDList(x), false);
            // evaluate() averages over the batch; times n, it is the sum of the rows' own -ELBO.
            collector.backward(NegativeElboLoss.evaluate(x, predictions, 1f).mul(n));
            return x.getGradient().toFloatArray();
        }
    }
}
