package io.recon.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.nn.EpochRows;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.nn.vae.ConvVaeSettings;
import io.recon.nn.vae.ConvVaeTrainer;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * The background model of a likelihood ratio (Ren et al., <i>Likelihood Ratios for
 * Out-of-Distribution Detection</i>, NeurIPS 2019): a second VAE of the same shape, trained on the
 * same images with a share of their pixels replaced by uniform noise, fresh every epoch. It learns
 * the low-level statistics of the images (background, grey levels, texture) but less of what the
 * class looks like, so the main model's negative ELBO minus this one's keeps mostly the semantic part.
 */
final class PerturbedBackground implements AutoCloseable {

    /** The share of pixels replaced by noise (Ren et al. tuned 0.1-0.2 on Fashion-MNIST). */
    static final double PERTURBED_SHARE = 0.2;

    private final Model model;
    private final ImageVaeScorer scorer;
    private final ConvVaeTrainer.Result training;

    private PerturbedBackground(Model model, ImageVaeScorer scorer, ConvVaeTrainer.Result training) {
        this.model = model;
        this.scorer = scorer;
        this.training = training;
    }

    /** Trains the background model on perturbed copies of {@code images} with the main model's settings. */
    static PerturbedBackground train(List<float[]> images, ConvVaeSettings s, Device device, PrintStream out) {
        EpochRows perturbed = EpochRows.regenerated(images.size(), epoch -> {
            Random random = new Random(s.seed() * 1_000_003L + epoch);
            List<float[]> rows = new ArrayList<>(images.size());
            for (float[] image : images) {
                rows.add(perturbed(image, PERTURBED_SHARE, random));
            }
            return rows;
        });
        ConvVaeTrainer.Result trained = new ConvVaeTrainer(out).train("fashion-mnist-background", perturbed, s, device);
        Model model = trained.model();
        // One importance sample: the negative ELBO is the same quantity in expectation, and this model
        // only ever contributes that one number per image.
        return new PerturbedBackground(model, new ImageVaeScorer((ConvVaeBlock) model.getBlock(),
                model.getNDManager(), 1, s.seed()), trained);
    }

    /** How its training ended: the last epoch's mean loss and the optimiser steps skipped. */
    ConvVaeTrainer.Result training() {
        return training;
    }

    /** A copy of {@code pixels} with each pixel, with probability {@code share}, replaced by a uniform value in [0, 1). */
    static float[] perturbed(float[] pixels, double share, Random random) {
        float[] out = pixels.clone();
        for (int i = 0; i < out.length; i++) {
            if (random.nextDouble() < share) {
                out[i] = random.nextFloat();
            }
        }
        return out;
    }

    /** The background model's negative ELBO of each image, nats. */
    double[] negativeElbos(List<float[]> images) {
        return ImageScoring.named("negative_elbo", ImageScoring.scoreAll(scorer, images), images);
    }

    @Override
    public void close() {
        model.close();
    }
}
