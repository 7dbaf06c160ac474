package io.recon.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.imaging.Window;
import io.recon.nn.explainer.ImageExplanationMap;
import io.recon.nn.explainer.MaskedPatchModel;

/**
 * An image explainer bundle: the masked-patch transformer's parameters and {@code manifest.json},
 * written last with the parameters' SHA-256. It explains the alerts of one image VAE bundle, whose
 * reconstruction it needs beside its own prediction ({@link io.recon.nn.explainer.SpreadScaledResidual}),
 * and records how high that map runs on clean held-out images (the level a region must pass).
 */
public final class ImageExplainerBundle implements AutoCloseable {

    /** The manifest inside a bundle. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** Prefix of the parameter file. */
    public static final String PARAMS_PREFIX = "explainer";
    /** The model family this bundle holds. */
    public static final String KIND = "masked-patch-transformer";
    /** The manifest format this code writes and reads. */
    public static final int FORMAT = 1;

    /**
     * {@code manifest.json} of an image explainer bundle.
     *
     * @param kind            {@link #KIND}
     * @param format          {@link #FORMAT}
     * @param name            bundle name (its folder's name)
     * @param version         creation time and the first 8 hex digits of the data's SHA-256
     * @param createdAt       creation time, ISO-8601
     * @param explains        the image VAE whose alerts it explains
     * @param side            image side it reads (the VAE's input side)
     * @param window          the VAE's intensity window (CT), to speak of Hounsfield units; null otherwise
     * @param settings        architecture and training settings
     * @param training        the images it learned from
     * @param trainingSummary how training went
     * @param normalMap       the map's level on clean held-out images
     * @param map             which {@link ImageExplanationMap} explains alerts (its id); absent in
     *                        bundles written before the choice existed, which used the spread-scaled residual
     * @param mapScales       clean levels of the two halves of a combined map, or null
     * @param evaluation      figures measured with the bundle, or null
     * @param rebuild         the command line that rebuilds the bundle
     * @param files           SHA-256 of the parameter files
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(String kind, int format, String name, String version, String createdAt,
            ExplainerBundle.Explains explains, int side, Window window, MaskedPatchModel.Settings settings,
            Training training, ExplainerBundle.TrainingSummary trainingSummary, NormalMap normalMap, String map,
            ImageExplanationMap.Scales mapScales, JsonNode evaluation, String rebuild, Map<String, String> files) {

        Manifest withFiles(Map<String, String> digests) {
            return new Manifest(kind, format, name, version, createdAt, explains, side, window, settings, training,
                    trainingSummary, normalMap, map, mapScales, evaluation, rebuild, digests);
        }

        /** The map that explains alerts. */
        public ImageExplanationMap explanationMap() {
            return ImageExplanationMap.byId(map);
        }
    }

    /**
     * The training images.
     *
     * @param dataset      what they are, in words
     * @param dataSha256   SHA-256 of the file they came from
     * @param imagesPerEpoch images drawn (posed afresh) per epoch
     * @param normalImages clean held-out images the normal map level was measured on
     */
    public record Training(String dataset, String dataSha256, int imagesPerEpoch, int normalImages) {
    }

    /**
     * How high the map runs on clean held-out images: a region is a group of pixels above
     * {@code p999}; an image with none is explained by its single highest pixel.
     *
     * @param p99  99th percentile of every pixel of every clean image
     * @param p999 99.9th percentile
     */
    public record NormalMap(double p99, double p999) {
    }

    private final Path directory;
    private final Manifest manifest;
    private final MaskedPatchModel model;

    private ImageExplainerBundle(Path directory, Manifest manifest, MaskedPatchModel model) {
        this.directory = directory;
        this.manifest = manifest;
        this.model = model;
    }

    /** Writes a bundle: old files removed, then the parameters, then the manifest with their digests. */
    public static void write(ObjectMapper mapper, Path dir, MaskedPatchModel model, Manifest manifest) {
        try {
            GeneratorBundle.clear(dir, MANIFEST_FILE);
            model.save(dir, PARAMS_PREFIX);
            Manifest sealed = manifest.withFiles(BundleDigests.of(dir, BundleDigests.parameterFiles(dir)));
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST_FILE).toFile(), sealed);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the image explainer bundle to " + dir, e);
        }
    }

    /** The kind named in a bundle's manifest, or null where it has none (tells image from tabular explainers). */
    public static String kindOf(Path dir, ObjectMapper mapper) {
        try {
            return mapper.readTree(dir.resolve(MANIFEST_FILE).toFile()).path("kind").asText(null);
        } catch (IOException e) {
            throw new InvalidBundleException(dir, "its " + MANIFEST_FILE + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the bundle in {@code dir}: kind and format checked, digests first.
     *
     * @throws InvalidBundleException when it is not an image explainer bundle of this format, or a
     *                                file does not match its digest
     */
    public static ImageExplainerBundle load(Path dir, Device device, ObjectMapper mapper) {
        Path file = dir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidBundleException(dir, MANIFEST_FILE + " is missing (build one with the train-explainer "
                    + "command, see README)");
        }
        Manifest m;
        try {
            m = mapper.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new InvalidBundleException(dir, "its " + MANIFEST_FILE + " cannot be read: " + e.getMessage(), e);
        }
        if (!KIND.equals(m.kind()) || m.format() != FORMAT) {
            throw new InvalidBundleException(dir, "it holds a '" + m.kind() + "' bundle of format " + m.format()
                    + ", not a " + KIND + " bundle of format " + FORMAT);
        }
        BundleDigests.verify(dir, m.files(), BundleDigests.parameterFiles(dir));
        try {
            if (m.explanationMap() == ImageExplanationMap.GEOMETRIC_MEAN && m.mapScales() == null) {
                throw new IllegalArgumentException("its map " + m.map() + " needs 'mapScales'");
            }
            return new ImageExplainerBundle(dir, m, MaskedPatchModel.load(dir, PARAMS_PREFIX, m.side(), m.settings(),
                    device));
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

    /** The transformer. */
    public MaskedPatchModel model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
