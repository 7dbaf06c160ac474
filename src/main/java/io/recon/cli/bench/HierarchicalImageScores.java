package io.recon.cli.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.baseline.KNearestNeighbourDistance;
import io.recon.nn.EpochRows;
import io.recon.nn.vae.ConvVaeSettings;
import io.recon.nn.vae.ConvVaeTrainer;
import io.recon.nn.vae.HierarchicalConvVaeBlock;
import io.recon.nn.vae.HierarchicalVaeScorer;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * The last image method: a two-level VAE ({@link HierarchicalConvVaeBlock}) trained on the
 * same images as the benchmark's VAE, scored on its upper latents, for {@code fashion-mnist-benchmark
 * --hierarchical-latent N} to judge on the validation split beside the other candidates:
 * <ul>
 * <li>{@value #NEGATIVE_ELBO_EXCESS}: its two-level negative ELBO minus the image's own Bernoulli
 * entropy, as for the flat VAE;</li>
 * <li>{@value #LIKELIHOOD_RATIO}: L - L^{>1}, the likelihood-ratio score of Havtorn et al. (ICML 2021):
 * how much worse the image is explained when the lower latent is drawn from the prior given the upper
 * one rather than from the image;</li>
 * <li>{@value #UPPER_KNN}: the distance of the upper posterior mean to its 5th nearest training image's,
 * and {@value #LOWER_KNN} the same for the lower level;</li>
 * <li>{@value #BEST_PLUS_RATIO} and {@value #BEST_PLUS_UPPER_KNN}: the flat VAE's best candidate so far
 * ({@link OneClassImageScores#WHITENED_PLUS_ENCODER_KNN}, a sum of scores standardised on training
 * images) plus the ratio or the upper kNN distance standardised the same way;</li>
 * <li>{@value #ENCODER_KNN}: the kNN distance in its bottom level's encoder feature map, scaled as the
 * flat VAE's is ({@link OneClassImageScores#ENCODER_KNN}): the same kind of distance from a second,
 * independently trained encoder; and {@value #BEST_PLUS_RATIO_PLUS_ENCODER_KNN}: {@value
 * #BEST_PLUS_RATIO} plus that distance standardised on training images (two encoders' feature maps
 * voting, as an ensemble of neighbour distances does).</li>
 * </ul>
 * Everything fitted here comes from training images only.
 */
final class HierarchicalImageScores implements AutoCloseable {

    static final String NEGATIVE_ELBO_EXCESS = "hierarchical_negative_elbo_excess";
    static final String LIKELIHOOD_RATIO = "hierarchical_likelihood_ratio";
    static final String UPPER_KNN = "hierarchical_upper_latent_knn";
    static final String LOWER_KNN = "hierarchical_lower_latent_knn";
    static final String BEST_PLUS_RATIO = OneClassImageScores.WHITENED_PLUS_ENCODER_KNN + "_plus_hierarchical_ratio";
    static final String BEST_PLUS_UPPER_KNN = OneClassImageScores.WHITENED_PLUS_ENCODER_KNN
            + "_plus_hierarchical_upper_knn";
    static final String ENCODER_KNN = "hierarchical_encoder_feature_knn";
    static final String BEST_PLUS_RATIO_PLUS_ENCODER_KNN = BEST_PLUS_RATIO + "_plus_hierarchical_encoder_knn";
    static final List<String> NAMES = List.of(NEGATIVE_ELBO_EXCESS, LIKELIHOOD_RATIO, UPPER_KNN, LOWER_KNN,
            BEST_PLUS_RATIO, BEST_PLUS_UPPER_KNN, ENCODER_KNN, BEST_PLUS_RATIO_PLUS_ENCODER_KNN);

    /** Training images the scales are fitted on, as in {@link OneClassImageScores}. */
    private static final int FIT_IMAGES = 2_000;

    private final Model model;
    private final ConvVaeTrainer.Result training;
    private final HierarchicalVaeScorer scorer;
    private final KNearestNeighbourDistance upperNeighbours;
    private final KNearestNeighbourDistance lowerNeighbours;
    private final double[] ratioScale;
    private final double[] upperKnnScale;
    private final ImageVaeScorer bottom;
    private final float[] featureSpread;
    private final VectorNeighbours featureNeighbours;
    private final double[] featureKnnScale;

    private HierarchicalImageScores(Model model, ConvVaeTrainer.Result training, HierarchicalVaeScorer scorer,
            KNearestNeighbourDistance upperNeighbours, KNearestNeighbourDistance lowerNeighbours, double[] ratioScale,
            double[] upperKnnScale, ImageVaeScorer bottom, float[] featureSpread, VectorNeighbours featureNeighbours,
            double[] featureKnnScale) {
        this.model = model;
        this.training = training;
        this.scorer = scorer;
        this.upperNeighbours = upperNeighbours;
        this.lowerNeighbours = lowerNeighbours;
        this.ratioScale = ratioScale;
        this.upperKnnScale = upperKnnScale;
        this.bottom = bottom;
        this.featureSpread = featureSpread;
        this.featureNeighbours = featureNeighbours;
        this.featureKnnScale = featureKnnScale;
    }

    /**
     * Trains the two-level model on {@code images} with the benchmark's settings (its lower latent of
     * the settings' size, its upper of {@code upperLatent}) and fits the distances and scales.
     */
    static HierarchicalImageScores train(List<float[]> images, ConvVaeSettings s, int upperLatent, Device device,
            PrintStream out) {
        ConvVaeTrainer.Result trained = new ConvVaeTrainer(out).trainHierarchical("fashion-mnist-hierarchical-vae",
                EpochRows.fixed(images), s, upperLatent, device);
        Model model = trained.model();
        try {
            HierarchicalVaeScorer scorer = new HierarchicalVaeScorer((HierarchicalConvVaeBlock) model.getBlock(),
                    model.getNDManager(), s.iwaeSamples(), s.seed());
            List<HierarchicalVaeScorer.Scores> all = scorer.score(images);
            int fit = Math.min(FIT_IMAGES, all.size());
            double[][] upper = new double[all.size()][];
            double[][] lower = new double[all.size()][];
            double[] ratios = new double[fit];
            for (int i = 0; i < all.size(); i++) {
                upper[i] = Vectors.toDoubles(all.get(i).upperMean());
                lower[i] = Vectors.toDoubles(all.get(i).lowerMean());
                if (i < fit) {
                    ratios[i] = all.get(i).likelihoodRatio();
                }
            }
            KNearestNeighbourDistance upperNeighbours = new KNearestNeighbourDistance(OneClassImageScores.NEIGHBOURS);
            upperNeighbours.fit(upper);
            KNearestNeighbourDistance lowerNeighbours = new KNearestNeighbourDistance(OneClassImageScores.NEIGHBOURS);
            lowerNeighbours.fit(lower);
            // A training image is not its own neighbour when its distance sets the scale.
            double[] upperKnn = upperNeighbours.leaveOneOutScores(fit);
            // Only the encoder of the bottom level is used: one sample is never drawn.
            ImageVaeScorer bottom = new ImageVaeScorer(((HierarchicalConvVaeBlock) model.getBlock()).bottom(),
                    model.getNDManager(), 1, s.seed());
            List<float[]> features = bottom.encoderFeatures(images);
            float[] spread = OneClassImageScores.featureSpread(features);
            List<float[]> scaled = OneClassImageScores.divided(features, spread);
            VectorNeighbours featureNeighbours = new VectorNeighbours(model.getNDManager(), scaled,
                    OneClassImageScores.NEIGHBOURS);
            double[] featureKnn = featureNeighbours.leaveOneOutDistances(scaled.subList(0, fit));
            return new HierarchicalImageScores(model, trained, scorer, upperNeighbours, lowerNeighbours,
                    Vectors.meanAndSd(ratios), Vectors.meanAndSd(upperKnn), bottom, spread, featureNeighbours,
                    Vectors.meanAndSd(featureKnn));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** How its training ended: the last epoch's mean loss and the optimiser steps skipped. */
    ConvVaeTrainer.Result training() {
        return training;
    }

    /**
     * Every score of {@link #NAMES} for {@code images}; {@code best} is the flat VAE's {@link
     * OneClassImageScores#WHITENED_PLUS_ENCODER_KNN} of the same images, same order.
     */
    Map<String, double[]> score(List<float[]> images, double[] best) {
        List<HierarchicalVaeScorer.Scores> scored = scorer.score(images);
        int n = images.size();
        double[] excess = new double[n];
        double[] ratio = new double[n];
        double[][] upper = new double[n][];
        double[][] lower = new double[n][];
        for (int i = 0; i < n; i++) {
            HierarchicalVaeScorer.Scores s = scored.get(i);
            excess[i] = s.negativeElbo() - ImageAlertScores.bernoulliEntropy(images.get(i));
            ratio[i] = s.likelihoodRatio();
            upper[i] = Vectors.toDoubles(s.upperMean());
            lower[i] = Vectors.toDoubles(s.lowerMean());
        }
        double[] upperKnn = upperNeighbours.scoreAll(upper);
        double[] featureKnn = featureNeighbours.kDistances(OneClassImageScores.divided(bottom.encoderFeatures(images),
                featureSpread));
        double[] bestPlusRatio = new double[n];
        double[] bestPlusUpper = new double[n];
        double[] bestPlusRatioPlusFeatures = new double[n];
        for (int i = 0; i < n; i++) {
            bestPlusRatio[i] = best[i] + Vectors.standardised(ratio[i], ratioScale);
            bestPlusUpper[i] = best[i] + Vectors.standardised(upperKnn[i], upperKnnScale);
            bestPlusRatioPlusFeatures[i] = bestPlusRatio[i] + Vectors.standardised(featureKnn[i], featureKnnScale);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put(NEGATIVE_ELBO_EXCESS, excess);
        out.put(LIKELIHOOD_RATIO, ratio);
        out.put(UPPER_KNN, upperKnn);
        out.put(LOWER_KNN, lowerNeighbours.scoreAll(lower));
        out.put(BEST_PLUS_RATIO, bestPlusRatio);
        out.put(BEST_PLUS_UPPER_KNN, bestPlusUpper);
        out.put(ENCODER_KNN, featureKnn);
        out.put(BEST_PLUS_RATIO_PLUS_ENCODER_KNN, bestPlusRatioPlusFeatures);
        return out;
    }

    @Override
    public void close() {
        featureNeighbours.close();
        model.close();
    }
}
