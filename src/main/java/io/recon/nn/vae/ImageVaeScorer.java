package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.recon.nn.BatchInput;

/**
 * Runs a trained {@link ConvVaeBlock} over a batch of images and computes, per image, the
 * reconstruction error, the negative ELBO and the negative IWAE bound with K samples, plus a
 * per-pixel anomaly map.
 *
 * <p>As in {@link VaeScorer}, the K noise samples are drawn once from a fixed seed and reused for
 * every batch, and the network runs in calls of at least {@value #MIN_ROWS_PER_CALL} rows, so an
 * image always gets the same scores, to the last bit. Thread-safe: each call works in its own
 * NDManager scope, freed before returning.
 */
public final class ImageVaeScorer {

    /** Images per encoder pass in {@link #posteriorMeans} and {@link #encoderFeatures}. */
    private static final int ENCODER_BATCH = 256;

    /**
     * The fewest rows a scoring call runs: libtorch's matrix products take another kernel below 16
     * rows, so a row's bits would change with the batch's size; from 16 rows on, every row of these
     * networks gets the same bits in a call of any size ({@code ImageScoreBatchInvarianceTest}), and a
     * smaller batch is padded with zero rows.
     */
    private static final int MIN_ROWS_PER_CALL = 16;

    private final ConvVaeBlock block;
    private final NDManager manager;
    private final ImportanceSampling sampling;

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
        this.sampling = new ImportanceSampling(samples, block.latentSize(), seed);
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

    /**
     * One row of {@code width} values per image from an inference pass over the images, in calls of at
     * most {@value #ENCODER_BATCH} and at least {@value #MIN_ROWS_PER_CALL} rows: like its scores, an
     * image's encoding does not depend on the list it comes in.
     */
    private List<float[]> perImage(List<float[]> images, int width,
            BiFunction<ParameterStore, NDArray, NDArray> pass) {
        List<float[]> out = new ArrayList<>(images.size());
        int pixels = block.pixels();
        for (int start = 0; start < images.size(); start += ENCODER_BATCH) {
            List<float[]> chunk = images.subList(start, Math.min(images.size(), start + ENCODER_BATCH));
            float[] flat = BatchInput.flatten(chunk, pixels, "image",
                    pixels + " pixels (" + block.side() + "x" + block.side() + ")");
            try (NDManager scope = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                float[] rows = FixedShapeForward.apply(scope, flat, chunk.size(), pixels, rowsPerCall(chunk.size()),
                        x -> new NDList(pass.apply(ps, x)))[0];
                for (int i = 0; i < chunk.size(); i++) {
                    out.add(Arrays.copyOfRange(rows, i * width, (i + 1) * width));
                }
            }
        }
        return out;
    }

    /**
     * Scores images (each side x side pixels in [0,1], row-major): one encoder pass, then one decoder
     * pass over each image's posterior mean and its K samples, with the per-pixel likelihood inside it,
     * then the sums and the sampling arithmetic in plain Java ({@link ImportanceSampling}). Each pass is
     * one libtorch call of at least {@value #MIN_ROWS_PER_CALL} rows: an image gets the same scores and
     * maps, to the last bit, whatever batch it comes in.
     */
    public List<ImageScore> score(List<float[]> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        int count = images.size();
        int pixels = block.pixels();
        int latent = block.latentSize();
        int samples = sampling.samples();
        float[] x = BatchInput.flatten(images, pixels, "image",
                pixels + " pixels (" + block.side() + "x" + block.side() + ")");
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            float[][] q = FixedShapeForward.apply(scope, x, count, pixels, rowsPerCall(count),
                    in -> block.encode(ps, in, false));
            float[] mu = q[0];
            float[] logVar = q[1];
            // Per image, K + 1 latent rows: the posterior mean (the anomaly map and the Bernoulli means),
            // then the K samples z_k = mu + sigma * eps_k; each decoded beside its image.
            int perImage = samples + 1;
            float[] z = new float[count * perImage * latent];
            for (int i = 0; i < count; i++) {
                System.arraycopy(mu, i * latent, z, i * perImage * latent, latent);
                sampling.latentSamples(mu, logVar, i * latent, samples, z, (i * perImage + 1) * latent);
            }
            int rows = count * perImage;
            float[][] decoded = FixedShapeForward.apply(scope, besideImages(z, x, count, perImage), rows,
                    latent + pixels, rowsPerCall(rows), in -> pixelTerms(ps, in));
            float[] nll = decoded[0];
            float[] means = decoded[1];
            List<ImageScore> out = new ArrayList<>(count);
            double[] logPx = new double[samples];
            double[] logW = new double[samples];
            for (int i = 0; i < count; i++) {
                int meanRow = i * perImage;
                for (int k = 0; k < samples; k++) {
                    int row = meanRow + 1 + k;
                    logPx[k] = -sum(nll, row * pixels, pixels);
                    logW[k] = sampling.logWeight(logPx[k], z, row * latent, k, logVar, i * latent);
                }
                double reconstructionError = sum(nll, meanRow * pixels, pixels) / pixels;
                EventScores scores = sampling.scores(reconstructionError, logPx, logW,
                        sampling.kl(mu, logVar, i * latent));
                out.add(new ImageScore(scores, Arrays.copyOfRange(nll, meanRow * pixels, (meanRow + 1) * pixels),
                        Arrays.copyOfRange(means, meanRow * pixels, (meanRow + 1) * pixels)));
            }
            return out;
        }
    }

    /**
     * Rows per libtorch call for a pass over {@code rows} rows: all of them in one call (a convolution
     * costs per row, so padding a batch up costs what the padding rows would), but never fewer than
     * {@value #MIN_ROWS_PER_CALL}.
     */
    private static int rowsPerCall(int rows) {
        return Math.max(MIN_ROWS_PER_CALL, rows);
    }

    /**
     * Rows of {@code latent ‖ image}: latent row r beside image r / {@code repeats}, so that the
     * decoder's call scores each latent row against its own image.
     */
    private float[] besideImages(float[] latentRows, float[] x, int images, int repeats) {
        int latent = block.latentSize();
        int pixels = block.pixels();
        int width = latent + pixels;
        float[] out = new float[images * repeats * width];
        for (int r = 0; r < images * repeats; r++) {
            System.arraycopy(latentRows, r * latent, out, r * width, latent);
            System.arraycopy(x, (r / repeats) * pixels, out, r * width + latent, pixels);
        }
        return out;
    }

    /** Decodes rows of {@code z ‖ x}: the per-pixel -log p(x|z) and the Bernoulli means. */
    private NDList pixelTerms(ParameterStore ps, NDArray zx) {
        int latent = block.latentSize();
        NDArray logits = block.decode(ps, zx.get(":, 0:" + latent), false);
        NDArray nll = block.likelihood().negativeLogLikelihood(zx.get(":, " + latent + ":"), logits);
        return new NDList(nll, Activation.sigmoid(logits));
    }

    /** The sum of {@code length} values from {@code at}, in doubles, first to last. */
    private static double sum(float[] values, int at, int length) {
        double total = 0;
        for (int p = 0; p < length; p++) {
            total += values[at + p];
        }
        return total;
    }
}
