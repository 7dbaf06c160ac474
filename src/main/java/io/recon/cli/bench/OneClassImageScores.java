package io.recon.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.correlation.Covariance;

import ai.djl.ndarray.NDManager;
import io.recon.baseline.KNearestNeighbourDistance;
import io.recon.imaging.GrayImage;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * Scores of a one-class image VAE beyond its own likelihood terms, from the likelihood-based
 * out-of-distribution literature, for {@code fashion-mnist-benchmark} to judge on its validation
 * split:
 * <ul>
 * <li>{@value #PNG}: the negative ELBO minus the image's PNG code length in nats (an input-complexity
 * correction with a real compressor, after Serrà et al., ICLR 2020: a simple image is likely under
 * any model, so what the model explains beyond a generic compressor is what counts);</li>
 * <li>{@value #LATENT}: how far the encoder's posterior mean lies from the training images' posterior
 * means, by the Mahalanobis distance of a Gaussian fitted to them (the image scored in the model's
 * latent space rather than by its pixels);</li>
 * <li>{@value #EXCESS_PLUS_LATENT}: the entropy-corrected negative ELBO and that distance, each
 * standardised on training images, summed;</li>
 * <li>{@value #LATENT_KNN}: the posterior mean's distance to its 5th nearest training image's
 * posterior mean (no Gaussian assumed), and {@value #EXCESS_PLUS_LATENT_KNN} the same sum with it;</li>
 * <li>{@value #EXCESS_PLUS_BOTH_LATENT}: the entropy-corrected negative ELBO, the Mahalanobis distance
 * and the kNN distance, each standardised on training images, summed;</li>
 * <li>{@value #MIRROR_AVERAGED}: {@value #EXCESS_PLUS_LATENT_KNN} averaged over the image and its mirror
 * image, and {@value #TRANSFORM_AVERAGED} over those and the four one-pixel shifts (test-time
 * averaging over geometric transformations, a transformed image scored with one sample; nothing is
 * trained on them);</li>
 * <li>{@value #LIKELIHOOD_RATIO}: the negative ELBO minus that of a background model trained on
 * perturbed images ({@link PerturbedBackground}), and {@value #LIKELIHOOD_RATIO_PLUS_LATENT_KNN} that
 * ratio and the kNN distance, each standardised on training images, summed;</li>
 * <li>{@value #LATENT_KNN_WHITENED}: the kNN distance after the posterior means are whitened by the
 * latent Gaussian's covariance (each direction the training images vary in counts by its own spread,
 * rather than the few widest directions dominating); {@value #ENCODER_KNN}: the kNN distance in the
 * encoder's last feature map ({@link ConvVaeBlock#encoderFeatures}, 3,136 values for 28x28 images),
 * each feature divided by its spread over the training images; and
 * {@value #WHITENED_PLUS_ENCODER_KNN} the two standardised and summed: the VAE's learnt
 * representation at its coarse and its detailed level;</li>
 * <li>{@value #PIXEL_KNN}, not a VAE score: the raw image's distance to its 5th nearest training
 * image, the baseline the VAE's scores have to beat.</li>
 * </ul>
 * Everything fitted here (the latent Gaussian, the scales, the neighbours) comes from training images only.
 */
final class OneClassImageScores {

    static final String PNG = "negative_elbo_minus_png";
    static final String LATENT = "latent_mahalanobis";
    static final String EXCESS_PLUS_LATENT = "negative_elbo_excess_plus_latent";
    static final String LATENT_KNN = "latent_knn";
    static final String EXCESS_PLUS_LATENT_KNN = "negative_elbo_excess_plus_latent_knn";
    static final String EXCESS_PLUS_BOTH_LATENT = "negative_elbo_excess_plus_latent_and_latent_knn";
    static final String MIRROR_AVERAGED = "negative_elbo_excess_plus_latent_knn_mirror_averaged";
    static final String TRANSFORM_AVERAGED = "negative_elbo_excess_plus_latent_knn_mirror_shift_averaged";
    static final String LIKELIHOOD_RATIO = "likelihood_ratio";
    static final String LIKELIHOOD_RATIO_PLUS_LATENT_KNN = "likelihood_ratio_plus_latent_knn";
    static final String LATENT_KNN_WHITENED = "latent_knn_whitened";
    static final String ENCODER_KNN = "encoder_feature_knn";
    static final String WHITENED_PLUS_ENCODER_KNN = "latent_knn_whitened_plus_encoder_feature_knn";
    static final String PIXEL_KNN = "pixel_knn";
    static final List<String> NAMES = List.of(PNG, LATENT, EXCESS_PLUS_LATENT, LATENT_KNN, EXCESS_PLUS_LATENT_KNN,
            EXCESS_PLUS_BOTH_LATENT, MIRROR_AVERAGED, TRANSFORM_AVERAGED, LIKELIHOOD_RATIO,
            LIKELIHOOD_RATIO_PLUS_LATENT_KNN, LATENT_KNN_WHITENED, ENCODER_KNN, WHITENED_PLUS_ENCODER_KNN, PIXEL_KNN);
    /** Of those, the baselines: reported beside the VAE's scores, never chosen as one. */
    static final List<String> BASELINES = List.of(PIXEL_KNN);

    /** Seed of the one sample that scores transformed images. */
    private static final long TRANSFORMED_NOISE_SEED = 11;

    /** The neighbour whose distance is each k-nearest-neighbour score (the k-th nearest). */
    static final int NEIGHBOURS = 5;

    /** Training images the Gaussian and the scales are fitted on: plenty for 16 dimensions. */
    private static final int FIT_IMAGES = 2_000;
    /** Ridge on the covariance's diagonal, relative to its mean variance, so it always inverts. */
    private static final double RIDGE = 1e-3;
    /**
     * Added to each encoder feature's spread, relative to the features' mean spread: a feature the
     * training images never switch on would otherwise divide by zero.
     */
    private static final double FEATURE_SPREAD_FLOOR = 1e-3;

    private final ImageVaeScorer scorer;
    private final double[] latentMean;
    private final RealMatrix latentPrecisionRoot;
    private final double[] excessScale;
    private final double[] latentScale;
    private final KNearestNeighbourDistance latentNeighbours;
    private final double[] knnScale;
    private final VectorNeighbours pixelNeighbours;
    private final ImageVaeScorer transformedScorer;
    private final PerturbedBackground background;
    private final double[] ratioScale;
    private final Fitted<KNearestNeighbourDistance> whitened;
    private final Fitted<VectorNeighbours> encoder;
    private final float[] featureSpread;

    /** A fitted score and its mean and SD over the fitting images, to standardise it by. */
    private record Fitted<T>(T score, double[] scale) {
    }

    private OneClassImageScores(ImageVaeScorer scorer, double[] latentMean, RealMatrix latentPrecisionRoot,
            double[] excessScale, double[] latentScale, KNearestNeighbourDistance latentNeighbours,
            double[] knnScale, VectorNeighbours pixelNeighbours, ImageVaeScorer transformedScorer,
            PerturbedBackground background, double[] ratioScale, Fitted<KNearestNeighbourDistance> whitened,
            Fitted<VectorNeighbours> encoder, float[] featureSpread) {
        this.scorer = scorer;
        this.whitened = whitened;
        this.encoder = encoder;
        this.featureSpread = featureSpread;
        this.background = background;
        this.ratioScale = ratioScale;
        this.transformedScorer = transformedScorer;
        this.latentMean = latentMean;
        this.latentPrecisionRoot = latentPrecisionRoot;
        this.excessScale = excessScale;
        this.latentScale = latentScale;
        this.latentNeighbours = latentNeighbours;
        this.knnScale = knnScale;
        this.pixelNeighbours = pixelNeighbours;
    }

    /**
     * Fits the latent Gaussian and the scales on (up to 2,000 of) the model's training images; the
     * pixel neighbours are all of them, held by a sub-manager of {@code manager} (closed with it);
     * {@code background} (trained on the same images, perturbed) stays the caller's to close.
     */
    static OneClassImageScores fit(ImageVaeScorer scorer, List<float[]> training, NDManager manager,
            PerturbedBackground background) {
        List<float[]> fitOn = training.subList(0, Math.min(FIT_IMAGES, training.size()));
        // Every training image's posterior mean, once: the fitting images are the first of them.
        double[][] all = Vectors.toDoubles(scorer.posteriorMeans(training));
        double[][] fitMeans = Arrays.copyOf(all, fitOn.size());
        int d = all[0].length;
        RealMatrix fitMatrix = new Array2DRowRealMatrix(fitMeans, false);
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = StatUtils.mean(fitMatrix.getColumn(j));
        }
        double[][] cov = new Covariance(fitMatrix).getCovarianceMatrix().getData();
        double meanVariance = 0;
        for (int i = 0; i < d; i++) {
            meanVariance += cov[i][i] / d;
        }
        for (int i = 0; i < d; i++) {
            cov[i][i] += RIDGE * meanVariance;
        }
        // Sigma = L L^T, so (x - mu)^T Sigma^-1 (x - mu) = |L^-1 (x - mu)|^2.
        RealMatrix lower = new CholeskyDecomposition(new Array2DRowRealMatrix(cov)).getL();
        RealMatrix root = new LUDecomposition(lower).getSolver().getInverse();
        double[][] allWhitened = whiten(all, mean, root);
        double[][] fitWhitened = Arrays.copyOf(allWhitened, fitOn.size());
        double[] latent = norms(fitWhitened);
        List<ImageVaeScorer.ImageScore> fitScored = ImageScoring.scoreAll(scorer, fitOn);
        double[] excess = ImageScoring.named("negative_elbo_excess", fitScored, fitOn);
        double[] ratio = difference(ImageScoring.named("negative_elbo", fitScored, fitOn), background.negativeElbos(fitOn));
        // The neighbours are every training image's posterior mean; their own scale comes from the
        // fitting images' leave-one-out distances (an image is not its own neighbour).
        KNearestNeighbourDistance neighbours = new KNearestNeighbourDistance(NEIGHBOURS);
        neighbours.fit(all);
        double[] knn = neighbours.leaveOneOutScores(fitMeans.length);
        KNearestNeighbourDistance whitenedNeighbours = new KNearestNeighbourDistance(NEIGHBOURS);
        whitenedNeighbours.fit(allWhitened);
        var whitened = new Fitted<>(whitenedNeighbours,
                Vectors.meanAndSd(whitenedNeighbours.leaveOneOutScores(fitWhitened.length)));
        // Dividing by each feature's spread is the whole normalisation: centring moves no distance.
        List<float[]> features = scorer.encoderFeatures(training);
        float[] spread = featureSpread(features);
        List<float[]> scaledFeatures = divided(features, spread);
        VectorNeighbours featureNeighbours = new VectorNeighbours(manager, scaledFeatures, NEIGHBOURS);
        var encoder = new Fitted<>(featureNeighbours,
                Vectors.meanAndSd(featureNeighbours.leaveOneOutDistances(
                        scaledFeatures.subList(0, fitOn.size()))));
        return new OneClassImageScores(scorer, mean, root, Vectors.meanAndSd(excess), Vectors.meanAndSd(latent),
                neighbours, Vectors.meanAndSd(knn), new VectorNeighbours(manager, training, NEIGHBOURS),
                new ImageVaeScorer(scorer.block(), manager, 1, TRANSFORMED_NOISE_SEED), background,
                Vectors.meanAndSd(ratio), whitened, encoder, spread);
    }

    /** Every score of {@link #NAMES} for images already scored by the VAE ({@code scored}, same order). */
    Map<String, double[]> score(List<ImageVaeScorer.ImageScore> scored, List<float[]> images) {
        double[] negativeElbo = ImageScoring.named("negative_elbo", scored, images);
        double[] excess = ImageScoring.named("negative_elbo_excess", scored, images);
        List<float[]> means = scorer.posteriorMeans(images);
        double[][] meanRows = Vectors.toDoubles(means);
        double[][] whitenedRows = whiten(meanRows, latentMean, latentPrecisionRoot);
        double[] latent = norms(whitenedRows);
        double[] knn = latentNeighbours.scoreAll(meanRows);
        double[] png = new double[images.size()];
        double[] combined = new double[images.size()];
        double[] combinedKnn = new double[images.size()];
        double[] combinedBoth = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            png[i] = negativeElbo[i] - pngNats(images.get(i));
            double excessZ = Vectors.standardised(excess[i], excessScale);
            double latentZ = Vectors.standardised(latent[i], latentScale);
            double knnZ = Vectors.standardised(knn[i], knnScale);
            combined[i] = excessZ + latentZ;
            combinedKnn[i] = excessZ + knnZ;
            combinedBoth[i] = excessZ + latentZ + knnZ;
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put(PNG, png);
        out.put(LATENT, latent);
        out.put(EXCESS_PLUS_LATENT, combined);
        out.put(LATENT_KNN, knn);
        out.put(EXCESS_PLUS_LATENT_KNN, combinedKnn);
        out.put(EXCESS_PLUS_BOTH_LATENT, combinedBoth);
        double[] sumOverTransforms = combinedKnn.clone();
        List<UnaryOperator<float[]>> transforms = GeometricTransforms.mirrorAndShifts();
        for (int t = 0; t < transforms.size(); t++) {
            double[] transformed = excessPlusKnn(GeometricTransforms.applyToEach(transforms.get(t), images));
            for (int i = 0; i < transformed.length; i++) {
                sumOverTransforms[i] += transformed[i];
            }
            if (t == 0) {
                // The mirror is the first transformation: the image and its mirror image.
                out.put(MIRROR_AVERAGED, divided(sumOverTransforms, 2));
            }
        }
        out.put(TRANSFORM_AVERAGED, divided(sumOverTransforms, transforms.size() + 1));
        double[] ratio = difference(negativeElbo, background.negativeElbos(images));
        double[] ratioPlusKnn = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            ratioPlusKnn[i] = Vectors.standardised(ratio[i], ratioScale) + Vectors.standardised(knn[i], knnScale);
        }
        out.put(LIKELIHOOD_RATIO, ratio);
        out.put(LIKELIHOOD_RATIO_PLUS_LATENT_KNN, ratioPlusKnn);
        double[] whitenedKnn = whitened.score().scoreAll(whitenedRows);
        double[] encoderKnn = encoder.score().kDistances(divided(scorer.encoderFeatures(images), featureSpread));
        double[] bothKnn = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            bothKnn[i] = Vectors.standardised(whitenedKnn[i], whitened.scale())
                    + Vectors.standardised(encoderKnn[i], encoder.scale());
        }
        out.put(LATENT_KNN_WHITENED, whitenedKnn);
        out.put(ENCODER_KNN, encoderKnn);
        out.put(WHITENED_PLUS_ENCODER_KNN, bothKnn);
        out.put(PIXEL_KNN, pixelNeighbours.kDistances(images));
        return out;
    }

    /**
     * {@value #EXCESS_PLUS_LATENT_KNN} of transformed images, with a one-sample negative ELBO: the same
     * quantity as the K-sample one in expectation, at a fifth of the decoding (five transformations of
     * 13,000 images per class).
     */
    private double[] excessPlusKnn(List<float[]> images) {
        double[] excess = ImageScoring.named("negative_elbo_excess", ImageScoring.scoreAll(transformedScorer, images),
                images);
        double[] knn = latentNeighbours.scoreAll(Vectors.toDoubles(transformedScorer.posteriorMeans(images)));
        double[] out = new double[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Vectors.standardised(excess[i], excessScale) + Vectors.standardised(knn[i], knnScale);
        }
        return out;
    }

    private static double[] difference(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    private static double[] divided(double[] values, int by) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i] / by;
        }
        return out;
    }

    /** The image's code length as an 8-bit grey PNG, in nats (the bits it takes times ln 2). */
    static double pngNats(float[] pixels) {
        int side = (int) Math.round(Math.sqrt(pixels.length));
        byte[] png = GrayImage.fromPixels(side, side, pixels, "").toPng();
        return png.length * 8 * Math.log(2);
    }

    /** The posterior means in the latent Gaussian's whitened coordinates: L^-1 (x - mu), Sigma = L L^T. */
    private static double[][] whiten(double[][] means, double[] latentMean, RealMatrix latentPrecisionRoot) {
        int d = latentMean.length;
        double[][] out = new double[means.length][];
        double[] centred = new double[d];
        for (int r = 0; r < means.length; r++) {
            for (int j = 0; j < d; j++) {
                centred[j] = means[r][j] - latentMean[j];
            }
            out[r] = latentPrecisionRoot.operate(centred);
        }
        return out;
    }

    /** Each row's Euclidean length: of a whitened row, its Mahalanobis distance. */
    private static double[] norms(double[][] rows) {
        double[] out = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            double sum = 0;
            for (double v : rows[r]) {
                sum += v * v;
            }
            out[r] = Math.sqrt(sum);
        }
        return out;
    }

    /** Each feature's standard deviation over the rows plus a small share of the mean one. */
    static float[] featureSpread(List<float[]> rows) {
        int width = rows.get(0).length;
        double[] sd = new double[width];
        double[] column = new double[rows.size()];
        for (int j = 0; j < width; j++) {
            for (int r = 0; r < column.length; r++) {
                column[r] = rows.get(r)[j];
            }
            sd[j] = Math.sqrt(StatUtils.variance(column));
        }
        double meanSd = StatUtils.mean(sd);
        float[] out = new float[width];
        for (int j = 0; j < width; j++) {
            out[j] = (float) Math.max(sd[j] + FEATURE_SPREAD_FLOOR * meanSd, 1e-12);
        }
        return out;
    }

    static List<float[]> divided(List<float[]> rows, float[] by) {
        List<float[]> out = new ArrayList<>(rows.size());
        for (float[] row : rows) {
            float[] scaled = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                scaled[j] = row[j] / by[j];
            }
            out.add(scaled);
        }
        return out;
    }

    /** The names every candidate is judged under: the VAE's own scores, then these. */
    static List<String> allNames() {
        List<String> names = new ArrayList<>(ImageAlertScores.RAW);
        names.addAll(ImageAlertScores.EXCESS);
        names.addAll(NAMES);
        return names;
    }
}
