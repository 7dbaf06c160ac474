package io.recon.bundle;

import io.recon.nn.vae.ConvVaeBlock;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.recon.imaging.Window;
import io.recon.nn.SkippedSteps;

/**
 * {@code manifest.json} of an image-model bundle ({@link ConvVaeBlock} parameters). Kept apart
 * from the telemetry {@link ModelManifest}, whose JSON (feature schema, threshold) the service
 * loads and must not change shape; the {@code kind} field tells the two apart.
 *
 * @param name        bundle name, also the folder name
 * @param version     training time and data digest, e.g. {@code 20261129T031500Z-1a2b3c4d}
 * @param kind        {@code image-vae}
 * @param createdAt   ISO-8601 instant of training
 * @param width       image width in pixels (28 for Fashion-MNIST)
 * @param height      image height in pixels (equal to the width)
 * @param downsamplings stride-2 layers of the encoder; absent in bundles made before it was a
 *                    parameter, which all have two ({@link ConvVaeBlock#DEFAULT_DOWNSAMPLINGS})
 * @param latentSize  latent dimensions
 * @param likelihood  {@code bernoulli} or {@code continuous-bernoulli}
 * @param pixelScale  how raw pixels become model input (e.g. "byte / 255"), in words
 * @param modality    what the model was trained on (DICOM modality such as {@code CT}), or null
 * @param window      the intensity window (e.g. Hounsfield units for CT) the training slices were
 *                    shown through; the service applies it to DICOM, raw and NIfTI events, so
 *                    that they reach the model exactly as the training data did; null for models
 *                    of 8-bit images
 * @param training    data, normal class and hyper-parameters
 * @param scoring     the alert score and its fixed samples (as in the telemetry manifest)
 * @param calibration the threshold, set on held-out normal training images, and how
 * @param metrics     evaluation summary (AUROC per score), or null
 * @param rebuild     the command that rebuilds this bundle
 * @param files       SHA-256 of the parameters and calibration files, checked at every load
 *                    ({@link BundleDigests})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageModelManifest(String name, String version, String kind, String createdAt, int width, int height,
        Integer downsamplings, int latentSize, String likelihood, String pixelScale, String modality,
        Window window, Training training, ModelManifest.Scoring scoring,
        ModelManifest.Calibration calibration, JsonNode metrics, String rebuild, Map<String, String> files) {

    /** The {@code kind} of image bundles. */
    public static final String KIND = "image-vae";
    /** File name of the manifest inside a bundle. */
    public static final String FILE = "manifest.json";
    /** Parameter file prefix inside a bundle (DJL appends {@code -0000.params}). */
    public static final String PARAMS_PREFIX = "vae";

    /** A copy listing the digests of the bundle's files. */
    public ImageModelManifest withFiles(Map<String, String> digests) {
        return new ImageModelManifest(name, version, kind, createdAt, width, height, downsamplings, latentSize,
                likelihood, pixelScale, modality, window, training, scoring, calibration, metrics, rebuild, digests);
    }

    /** Stride-2 layers of the encoder (two when the manifest predates the field). */
    public int downsamplingsOrDefault() {
        return downsamplings == null ? ConvVaeBlock.DEFAULT_DOWNSAMPLINGS : downsamplings;
    }

    /** The network these parameters belong to. */
    public ConvVaeBlock newBlock() {
        if (width != height) {
            throw new IllegalStateException("bundle " + name + " declares " + width + "x" + height
                    + " images; the conv VAE takes square images");
        }
        return new ConvVaeBlock(latentSize, ConvVaeBlock.Likelihood.parse(likelihood), width,
                downsamplingsOrDefault());
    }

    /**
     * @param dataset         data set name and files read
     * @param normalClass     label of the class trained on, or null when the data has no labels
     * @param normalClassName what counts as normal (a class name, or e.g. "head CT slices")
     * @param images          training images used
     * @param calibrationImages normal training images held out (never trained on) to set the threshold
     * @param epochs          passes over them
     * @param batchSize       images per step
     * @param learningRate    Adam step size
     * @param klWarmupEpochs  epochs over which the KL weight rose to 1
     * @param seed            seed of initialisation, shuffling and sampling
     * @param finalLoss       mean negative ELBO over the last epoch, nats per image
     * @param optimiserSteps  optimiser steps taken, and those skipped for non-finite gradients (null in
     *                        bundles trained before steps were guarded)
     */
    public record Training(String dataset, Integer normalClass, String normalClassName, int images, int calibrationImages,
            int epochs, int batchSize, double learningRate, int klWarmupEpochs, long seed, double finalLoss,
            SkippedSteps optimiserSteps) {

        /** "class 1 (Trouser)", or the description alone for unlabelled data. */
        public String normalDescription() {
            return normalClass == null ? normalClassName : "class " + normalClass + " (" + normalClassName + ")";
        }
    }

    /** The input in words, e.g. "64x64 grayscale (CT, window 40/120 HU)". */
    public String inputDescription() {
        String scale = window == null ? pixelScale
                : (modality == null ? "" : modality + ", ") + pixelScale;
        return width + "x" + height + " grayscale (" + scale + ")";
    }
}
