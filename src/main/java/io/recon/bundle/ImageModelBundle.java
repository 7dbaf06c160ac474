package io.recon.bundle;

import io.recon.nn.vae.ConvVaeBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.nn.vae.ImageVaeScorer;
import io.recon.calibration.ScoreCalibration;

/**
 * A loaded image-model bundle: the manifest, the {@link ConvVaeBlock} with its parameters on a
 * device, the scorer and the calibration. Close it to free the native memory of the parameters.
 */
public final class ImageModelBundle implements AutoCloseable {

    private final Path directory;
    private final ImageModelManifest manifest;
    private final Model model;
    private final ScoreCalibration calibration;
    private final ImageVaeScorer scorer;

    private ImageModelBundle(Path directory, ImageModelManifest manifest, Model model, ScoreCalibration calibration) {
        this.directory = directory;
        this.manifest = manifest;
        this.model = model;
        this.calibration = calibration;
        this.scorer = new ImageVaeScorer((ConvVaeBlock) model.getBlock(), model.getNDManager(),
                manifest.scoring().iwaeSamples(), manifest.scoring().samplesSeed());
    }

    /** Loads the bundle in {@code directory} onto {@code device}. */
    public static ImageModelBundle load(Path directory, Device device, ObjectMapper mapper) {
        Path manifestFile = directory.resolve(ImageModelManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new InvalidBundleException(directory, ImageModelManifest.FILE
                    + " is missing (rebuild it with tests/imaging/rebuild-fashion-model.sh)");
        }
        try {
            ImageModelManifest manifest = mapper.readValue(manifestFile.toFile(), ImageModelManifest.class);
            if (!ImageModelManifest.KIND.equals(manifest.kind()) || manifest.calibration() == null
                    || manifest.scoring() == null) {
                throw new InvalidBundleException(directory, "it is not a calibrated image model (kind "
                        + manifest.kind() + "; it needs 'scoring' and 'calibration')");
            }
            ModelBundle.verifyFiles(directory, manifest.files(), manifest.calibration());
            ConvVaeBlock block;
            try {
                block = manifest.newBlock();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new InvalidBundleException(directory, "it declares a network this service cannot build: "
                        + e.getMessage(), e);
            }
            ScoreCalibration calibration = ModelBundle.readCalibration(directory, manifest.calibration(), mapper);
            Model model = ModelBundle.loadParameters(directory, manifest.name(), device, block,
                    ImageModelManifest.PARAMS_PREFIX);
            return new ImageModelBundle(directory, manifest, model, calibration);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image model bundle " + directory, e);
        }
    }

    /** Where the bundle was loaded from. */
    public Path directory() {
        return directory;
    }

    /** The manifest. */
    public ImageModelManifest manifest() {
        return manifest;
    }

    /** Threshold and percentiles. */
    public ScoreCalibration calibration() {
        return calibration;
    }

    /** The batch scorer. */
    public ImageVaeScorer scorer() {
        return scorer;
    }

    /** The DJL device the parameters live on. */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public void close() {
        model.close();
    }
}
