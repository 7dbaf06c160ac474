package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.recon.nn.BatchInput;

/**
 * Runs a trained {@link ConvVaeBlock} over a batch of images and computes, per image, the
 * reconstruction error, the negative ELBO and the negative IWAE bound with K samples, plus a
 * per-pixel anomaly map.
 *
 * <p>As in {@link VaeScorer}, the K noise samples are drawn once from a fixed seed and reused for
 * every batch, so an image always gets the same scores. Thread-safe: each call works in its own
 * NDManager scope, freed before returning.
 */
public final class ImageVaeScorer {

    /** Images per encoder pass in {@link #posteriorMeans} and {@link #encoderFeatures}. */
    private static final int ENCODER_BATCH = 256;

    private final ConvVaeBlock block;
    private final NDManager manager;
    private final int samples;
    private final float[] noise;

    /**
     * The scores of one image, in nats (higher = more anomalous).
     *
     * @param scores     reconstructionError: mean per-pixel -log p(x|z) at z = E[q(z|x)];
     *                   negativeElbo: K-sample expected -log p(x|z) plus the analytic KL;
     *                   iwae: negative importance-weighted bound with the same K samples
     * @param anomalyMap per-pixel -log p(x|z = mu), row-major, the model's input size, for heatmaps
     * @param reconstruction per-pixel sigmoid of the decoder's logits at z = mu (the Bernoulli mean),
     *                   same layout
     */
    public record ImageScore(EventScores scores, float[] anomalyMap, float[] reconstruction) {
    }

    /**
     * @param block   trained network
     * @param manager the model's manager (device and lifetime of the parameters)
     * @param samples K
     * @param seed    seed of the fixed noise
     */
    public ImageVaeScorer(ConvVaeBlock block, NDManager manager, int samples, long seed) {
        this.block = block;
        this.manager = manager;
        this.samples = samples;
        this.noise = ImportanceSampling.fixedNoise(samples, block.latentSize(), seed);
    }

    /** The network it scores with. */
    public ConvVaeBlock block() {
        return block;
    }

    /**
     * The encoder's posterior mean of each image: a compact description of it in the model's own
     * terms, used as the features of the synthetic-image two-sample test.
     */
    public List<float[]> posteriorMeans(List<float[]> images) {
        return perImage(images, block.latentSize(),
                (ps, x) -> block.encode(ps, x, false).get(0));
    }

    /** Each image's encoder feature map, flattened ({@link ConvVaeBlock#encoderFeatures}), same order. */
    public List<float[]> encoderFeatures(List<float[]> images) {
        return perImage(images, block.encoderFeatureSize(), block::encoderFeatures);
    }

    /** One row of {@code width} values per image from an inference pass over batches of images. */
    private List<float[]> perImage(List<float[]> images, int width,
            BiFunction<ParameterStore, NDArray, NDArray> pass) {
        List<float[]> out = new ArrayList<>(images.size());
        int pixels = block.pixels();
        for (int start = 0; start < images.size(); start += ENCODER_BATCH) {
            List<float[]> chunk = images.subList(start, Math.min(images.size(), start + ENCODER_BATCH));
            float[] flat = BatchInput.flatten(chunk, pixels, "image",
                    pixels + " pixels (" + block.side() + "x" + block.side() + ")");
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(flat, new Shape(chunk.size(), pixels));
                float[] rows = pass.apply(new ParameterStore(scope, false), x).toFloatArray();
                for (int i = 0; i < chunk.size(); i++) {
                    out.add(Arrays.copyOfRange(rows, i * width, (i + 1) * width));
                }
            }
        }
        return out;
    }

    /** Scores images (each side x side pixels in [0,1], row-major); one DJL pass for the whole batch. */
    public List<ImageScore> score(List<float[]> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        int batch = images.size();
        int width = block.pixels();
        int latent = block.latentSize();
        float[] flat = BatchInput.flatten(images, width, "image",
                width + " pixels (" + block.side() + "x" + block.side() + ")");
        ConvVaeBlock.Likelihood likelihood = block.likelihood();
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x = scope.create(flat, new Shape(batch, width));
            NDList q = block.encode(ps, x, false);
            NDArray mu = q.get(0);
            NDArray logVar = q.get(1);

            // At the posterior mean: the per-pixel map, and its mean as the reconstruction error.
            NDArray meanLogits = block.decode(ps, mu, false);
            NDArray map = likelihood.negativeLogLikelihood(x, meanLogits);
            float[] means = Activation.sigmoid(meanLogits).toFloatArray();
            NDArray reconstruction = map.mean(new int[] {1});

            // K samples z_k = mu + sigma * eps_k, decoded in one pass of K * batch images.
            NDArray eps = scope.create(noise, new Shape(samples, 1, latent));
            NDArray z = ImportanceSampling.latentSamples(mu, logVar, eps);
            NDArray logits = block.decode(ps, z.reshape(samples * (long) batch, latent), false)
                    .reshape(samples, batch, width);
            NDArray logPx = likelihood.negativeLogLikelihood(x.expandDims(0), logits).sum(new int[] {2}).neg();
            EventScores[] scores = ImportanceSampling.perRow(reconstruction,
                    ImportanceSampling.negativeElboAndIwae(logPx, z, eps, mu, logVar));

            float[] maps = map.toFloatArray();
            List<ImageScore> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                float[] m = new float[width];
                System.arraycopy(maps, i * width, m, 0, width);
                float[] r = new float[width];
                System.arraycopy(means, i * width, r, 0, width);
                out.add(new ImageScore(scores[i], m, r));
            }
            return out;
        }
    }
}
