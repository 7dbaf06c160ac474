package io.recon.bundle;

import io.recon.nn.vae.VaeArchitecture;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.recon.feature.FeatureSpec;
import io.recon.nn.SkippedSteps;

/**
 * {@code manifest.json} of a model bundle: everything needed to use the parameters correctly
 * and to judge them, travelling with the weights (input schema, normalisation, architecture,
 * threshold and its calibration, training data provenance, evaluation metrics, rebuild command).
 *
 * @param name         bundle name, also the folder name under {@code models/}
 * @param version      training time stamp plus data checksum prefix; changes with every rebuild
 * @param kind         {@code tabular-vae}
 * @param createdAt    ISO-8601 instant of training
 * @param inputSchema  the features and how they are normalised
 * @param architecture the network shape
 * @param training     data provenance and hyper-parameters
 * @param scoring      which score raises alerts and how it is estimated
 * @param calibration  the alert threshold and how it was set
 * @param metrics      the evaluation report summary (written by the evaluate command), or null
 * @param rebuild      the command that rebuilds this bundle from the repository
 * @param files        SHA-256 of each file the service reads besides this manifest (parameters,
 *                     calibration), checked at every load ({@link BundleDigests})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(String name, String version, String kind, String createdAt, InputSchema inputSchema,
        VaeArchitecture architecture, Training training, Scoring scoring, Calibration calibration, JsonNode metrics,
        String rebuild, Map<String, String> files) {

    /** File name of the manifest inside a bundle. */
    public static final String FILE = "manifest.json";
    /** Parameter file prefix inside a bundle (DJL appends {@code -0000.params}). */
    public static final String PARAMS_PREFIX = "vae";

    /** A copy with evaluation metrics attached. */
    public ModelManifest withMetrics(JsonNode newMetrics) {
        return new ModelManifest(name, version, kind, createdAt, inputSchema, architecture, training, scoring,
                calibration, newMetrics, rebuild, files);
    }

    /** A copy listing the digests of the bundle's files. */
    public ModelManifest withFiles(Map<String, String> digests) {
        return new ModelManifest(name, version, kind, createdAt, inputSchema, architecture, training, scoring,
                calibration, metrics, rebuild, digests);
    }

    /**
     * The features a model reads and the columns of the training table they came from.
     *
     * @param features       feature specs in model input order
     * @param idColumn       the row id column of the training table
     * @param labelColumn    the label column, or null when the data had none
     * @param normalLabel    the label value of normal rows
     * @param groupColumn    the column naming the attack type or generator, or null
     * @param ignoredColumns columns left out of the features, and why they are not features
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputSchema(List<FeatureSpec> features, String idColumn, String labelColumn, String normalLabel,
            String groupColumn, List<String> ignoredColumns) {
    }

    /**
     * Provenance and hyper-parameters of a training run.
     *
     * @param dataFile        the training table, relative to the repository root
     * @param dataSha256      its SHA-256
     * @param split           how rows were split, in words
     * @param trainRows       normal rows used to fit
     * @param calibrationRows held-out normal rows used to set the threshold
     * @param testRows        rows kept for evaluation (held-out normals and every anomaly)
     * @param epochs          passes over the training rows
     * @param batchSize       rows per gradient step
     * @param learningRate    Adam learning rate
     * @param klWarmupEpochs  epochs over which the KL weight rises from 0 to 1
     * @param seed            random seed of initialisation and batching
     * @param finalLoss       mean negative ELBO on the training rows in the last epoch
     * @param seconds         wall time of training
     * @param device          where it trained
     * @param optimiserSteps  optimiser steps taken, and those skipped for non-finite gradients (null in
     *                        bundles trained before steps were guarded)
     * @param syntheticRows   synthetic rows added to the training rows (counted in {@code trainRows}), or
     *                        null when every training row is real
     * @param gradientClip    the gradient norm limit and how many steps it scaled down, or null when
     *                        training had no limit
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(String dataFile, String dataSha256, String split, int trainRows, int calibrationRows,
            int testRows, int epochs, int batchSize, double learningRate, int klWarmupEpochs, long seed,
            double finalLoss, double seconds, String device, SkippedSteps optimiserSteps,
            SyntheticRows syntheticRows, GradientClip gradientClip) {
    }

    /**
     * @param maxNorm      each step's gradients were scaled down to this joint L2 norm where they exceeded it
     * @param clippedSteps how many optimiser steps that scaled
     */
    public record GradientClip(double maxNorm, int clippedSteps) {
    }

    /**
     * Synthetic rows a model trained on, beside the real ones: only where the training command was
     * told to use them.
     *
     * @param generator   the generator kind ("tabddpm")
     * @param bundle      its bundle folder
     * @param version     its bundle version
     * @param rowsByClass rows added per traffic class
     * @param seed        the sampling seed
     * @param use         where they went, in words
     */
    public record SyntheticRows(String generator, String bundle, String version, Map<String, Integer> rowsByClass,
            long seed, String use) {
    }

    /**
     * @param alertScore  the score compared with the threshold: {@code iwae}, {@code negative_elbo}
     *                    or {@code reconstruction_error}
     * @param iwaeSamples K, the importance samples of the IWAE bound and of the ELBO estimate
     * @param samplesSeed seed of the fixed noise used at scoring, so the same event always gets
     *                    the same score (idempotent alerts)
     */
    public record Scoring(String alertScore, int iwaeSamples, long samplesSeed) {
    }

    /**
     * @param score           the calibrated score
     * @param targetFpr       false-positive rate aimed at on normal traffic
     * @param threshold       alert when the score is above this
     * @param rows            held-out normal rows it was calibrated on
     * @param method          how, in words
     * @param quantilesFile   file in the bundle with the calibration scores' quantiles, used for
     *                        the percentile an alert reports
     */
    public record Calibration(String score, double targetFpr, double threshold, int rows, String method,
            String quantilesFile) {
    }
}
