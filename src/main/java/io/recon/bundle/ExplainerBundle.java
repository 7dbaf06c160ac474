package io.recon.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;
import io.recon.nn.SkippedSteps;
import io.recon.nn.explainer.FeatureTokens;
import io.recon.nn.explainer.MaskedFeatureModel;

/**
 * An explainer bundle: the masked-feature transformer's parameters and {@code manifest.json}, written
 * last with the parameters' SHA-256. The manifest copies the input schema of the VAE bundle it
 * explains, so the explainer role needs no other bundle to read an alert's features, and records
 * how surprising each feature is in normal rows (the yardstick of a contribution).
 */
public final class ExplainerBundle implements AutoCloseable {

    /** The manifest inside a bundle. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** Prefix of the parameter file ({@code explainer-0000.params}). */
    public static final String PARAMS_PREFIX = "explainer";
    /** The model family this bundle holds. */
    public static final String KIND = "masked-feature-transformer";
    /** The manifest format this code writes and reads. */
    public static final int FORMAT = 1;

    /**
     * {@code manifest.json} of an explainer bundle.
     *
     * @param kind            {@link #KIND}
     * @param format          {@link #FORMAT}
     * @param name            bundle name (its folder's name)
     * @param version         creation time and the first 8 hex digits of the data's SHA-256
     * @param createdAt       creation time, ISO-8601
     * @param explains        the scoring model whose alerts it explains
     * @param inputSchema     that model's features and their normalisation, in token order
     * @param settings        architecture and training settings
     * @param training        the rows it learned from
     * @param trainingSummary how training went
     * @param normalSurprise  each feature's surprise in held-out normal rows
     * @param evaluation      figures measured on the bundle (explanation hit rates), or null
     * @param rebuild         the command line that rebuilds the bundle
     * @param files           SHA-256 of the parameter files
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(String kind, int format, String name, String version, String createdAt, Explains explains,
            List<FeatureSpec> inputSchema, MaskedFeatureModel.Settings settings, Training training,
            TrainingSummary trainingSummary, NormalSurprise normalSurprise, JsonNode evaluation, String rebuild,
            Map<String, String> files) {

        /** This manifest with the parameter digests. */
        Manifest withFiles(Map<String, String> digests) {
            return new Manifest(kind, format, name, version, createdAt, explains, inputSchema, settings, training,
                    trainingSummary, normalSurprise, evaluation, rebuild, digests);
        }

        /** This manifest with {@code figures} as its evaluation. */
        public Manifest withEvaluation(JsonNode figures) {
            return new Manifest(kind, format, name, version, createdAt, explains, inputSchema, settings, training,
                    trainingSummary, normalSurprise, figures, rebuild, files);
        }
    }

    /**
     * The scoring model an explainer serves: alerts of this model name are explained.
     *
     * @param model   bundle name of the scoring model
     * @param version its version when the explainer was trained (newer versions with the same
     *                features are explained too)
     */
    public record Explains(String model, String version) {
    }

    /**
     * The training data.
     *
     * @param dataFile   the table, as the scoring model's manifest names it
     * @param dataSha256 its SHA-256
     * @param split      the split rule
     * @param trainRows  normal rows learned from (the scoring model's training part)
     * @param normalRows held-out normal rows the normal surprise was measured on (its calibration part)
     */
    public record Training(String dataFile, String dataSha256, String split, int trainRows, int normalRows) {
    }

    /**
     * How training went.
     *
     * @param finalLoss mean masked-feature negative log-likelihood of the last epoch, nats
     * @param steps     optimiser steps taken and skipped
     * @param seconds   wall time
     * @param device    where it trained
     */
    public record TrainingSummary(double finalLoss, SkippedSteps steps, double seconds, String device) {
    }

    /**
     * Each feature's surprise (nats, when hidden alone) over held-out normal rows: its median is what
     * a feature costs on an ordinary day (reported beside each cause); the 99th percentile marks a
     * surprise seldom seen in normal traffic.
     *
     * @param median per feature, in token order
     * @param p99    per feature
     */
    public record NormalSurprise(double[] median, double[] p99) {
    }

    private final Path directory;
    private final Manifest manifest;
    private final FeatureEncoder encoder;
    private final MaskedFeatureModel model;

    private ExplainerBundle(Path directory, Manifest manifest, FeatureEncoder encoder, MaskedFeatureModel model) {
        this.directory = directory;
        this.manifest = manifest;
        this.encoder = encoder;
        this.model = model;
    }

    /**
     * Writes a bundle: old manifest and parameters removed first (DJL numbers new parameters after
     * old ones; a half-written bundle has no manifest, so nothing loads it), then the parameters,
     * then the manifest with their digests.
     *
     * @param manifest the manifest, {@code files} left null
     */
    public static void write(ObjectMapper mapper, Path dir, MaskedFeatureModel model, Manifest manifest) {
        try {
            GeneratorBundle.clear(dir, MANIFEST_FILE);
            model.save(dir, PARAMS_PREFIX);
            Manifest sealed = manifest.withFiles(BundleDigests.of(dir, BundleDigests.parameterFiles(dir)));
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST_FILE).toFile(), sealed);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the explainer bundle to " + dir, e);
        }
    }

    /** Rewrites a bundle's manifest with new evaluation figures (its files are unchanged). */
    public static void rewriteManifest(ObjectMapper mapper, Path dir, Manifest manifest) {
        try {
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST_FILE).toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve(MANIFEST_FILE), e);
        }
    }

    /** A bundle's manifest, unchecked. */
    public static Manifest manifest(Path dir, ObjectMapper mapper) {
        Path file = dir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidBundleException(dir, MANIFEST_FILE + " is missing (build one with the train-explainer "
                    + "command, see README)");
        }
        try {
            return mapper.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new InvalidBundleException(dir, "its " + MANIFEST_FILE + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the bundle in {@code dir} onto {@code device}: kind and format checked, digests first.
     *
     * @throws InvalidBundleException when it is not an explainer bundle of this format, or a file
     *                                does not match its digest
     */
    public static ExplainerBundle load(Path dir, Device device, ObjectMapper mapper) {
        Manifest m = manifest(dir, mapper);
        if (!KIND.equals(m.kind()) || m.format() != FORMAT) {
            throw new InvalidBundleException(dir, "it holds a '" + m.kind() + "' bundle of format " + m.format()
                    + ", not a " + KIND + " bundle of format " + FORMAT);
        }
        BundleDigests.verify(dir, m.files(), BundleDigests.parameterFiles(dir));
        FeatureEncoder encoder = new FeatureEncoder(m.inputSchema());
        try {
            MaskedFeatureModel model = MaskedFeatureModel.load(dir, PARAMS_PREFIX, FeatureTokens.of(encoder),
                    m.settings(), device);
            return new ExplainerBundle(dir, m, encoder, model);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(dir, e.getMessage(), e);
        }
    }

    /** Where it was loaded from. */
    public Path directory() {
        return directory;
    }

    /** The manifest. */
    public Manifest manifest() {
        return manifest;
    }

    /** Encoder of the explained model's input schema. */
    public FeatureEncoder encoder() {
        return encoder;
    }

    /** The transformer. */
    public MaskedFeatureModel model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
