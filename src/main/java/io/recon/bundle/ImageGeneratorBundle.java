package io.recon.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.nn.ImageGenerator;

/**
 * An image generator bundle: the model as its kind saves it (parameters and layout file) and
 * {@code manifest.json}, written last with the SHA-256 digests of the files before it. Loading
 * checks the digests and the kind. The image counterpart of {@link GeneratorBundle}.
 */
public final class ImageGeneratorBundle {

    /** The manifest inside a bundle. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** The manifest format this code writes and reads. */
    public static final int FORMAT = 1;
    /** What {@code modality} says of images of no DICOM modality (Fashion-MNIST): "other". */
    public static final String OTHER_MODALITY = "OT";

    private ImageGeneratorBundle() {
    }

    /**
     * {@code manifest.json} of an image generator bundle.
     *
     * @param kind            the generator kind ("dcgan", "ddpm")
     * @param format          manifest format version ({@link #FORMAT})
     * @param version         creation time and the first 8 hex digits of the data's SHA-256
     * @param createdAt       creation time, ISO-8601
     * @param side            image side in pixels (square, grayscale, [0, 1])
     * @param modality        DICOM modality of the images ("CT"), or {@link #OTHER_MODALITY}
     * @param imageClass      what the images are, as requests name it ("Trouser", "head-ct-brain-slice")
     * @param pixelScale      how pixels map to [0, 1] ("byte / 255", "CT window 40/80 HU")
     * @param training        the images it learned from
     * @param settings        the kind's training settings
     * @param trainingSummary how training went
     * @param modelFile       the kind's layout file
     * @param rebuild         the command line that rebuilds the bundle
     * @param files           SHA-256 of the parameter files and the layout file
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(String kind, int format, String version, String createdAt, int side, String modality,
            String imageClass, String pixelScale, Training training, JsonNode settings, JsonNode trainingSummary,
            String modelFile, String rebuild, Map<String, String> files) {

        Manifest withFiles(Map<String, String> digests) {
            return new Manifest(kind, format, version, createdAt, side, modality, imageClass, pixelScale, training,
                    settings, trainingSummary, modelFile, rebuild, digests);
        }
    }

    /**
     * The training images.
     *
     * @param dataset    the data set, in words, with its Debian package
     * @param dataFile   the file read
     * @param dataSha256 its SHA-256
     * @param images     images learned from
     * @param selection  which images, and which were kept away (held out for evaluation)
     */
    public record Training(String dataset, String dataFile, String dataSha256, int images, String selection) {
    }

    /**
     * Writes the bundle: the old manifest and parameter files go first (DJL would number new
     * parameters after old ones), then the model, then the manifest with the files' digests.
     */
    public static void write(ObjectMapper mapper, Path dir, ImageGeneratorKind kind, ImageGenerator model,
            Manifest manifest) {
        try {
            GeneratorBundle.clear(dir, MANIFEST_FILE);
            model.save(dir, mapper);
            Map<String, String> digests = BundleDigests.of(dir, BundleDigests.required(dir, kind.layoutFile()));
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST_FILE).toFile(),
                    manifest.withFiles(digests));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the image generator bundle to " + dir, e);
        }
    }

    /** A bundle's manifest. */
    public static Manifest manifest(Path dir, ObjectMapper mapper) {
        Path file = dir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no image generator bundle in " + dir + " (no " + MANIFEST_FILE
                    + "); build one with train-generator --kind " + String.join("|", ImageGeneratorKind.names()));
        }
        try {
            return mapper.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** A generator loaded from its bundle, with the bundle's manifest. */
    public record Opened(ImageGenerator generator, Manifest manifest) {
    }

    /**
     * Loads the bundle in {@code dir}, which must hold a model of kind {@code expectedKind}.
     *
     * @throws IllegalArgumentException when {@code dir} holds no image generator bundle, or one of another kind
     * @throws io.recon.bundle.InvalidBundleException when a file does not match its digest
     */
    public static Opened open(Path dir, String expectedKind, ObjectMapper mapper) {
        Manifest m = manifest(dir, mapper);
        if (!expectedKind.equals(m.kind()) || m.format() != FORMAT || !ImageGeneratorKind.isKind(m.kind())) {
            throw new IllegalArgumentException(dir + " holds a '" + m.kind() + "' bundle of format " + m.format()
                    + ", not a " + expectedKind + " image generator bundle of format " + FORMAT);
        }
        ImageGeneratorKind kind = ImageGeneratorKind.named(m.kind());
        BundleDigests.verify(dir, m.files(), BundleDigests.required(dir, kind.layoutFile()));
        ImageGenerator generator = kind.load(dir, mapper);
        if (generator.side() != m.side()) {
            generator.close();
            throw new InvalidBundleException(dir, "its model makes " + generator.side() + "x" + generator.side()
                    + " images, its manifest says " + m.side());
        }
        return new Opened(generator, m);
    }
}
