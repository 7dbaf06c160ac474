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
 * A loaded image-model bundle: besides what every bundle holds ({@link LoadedBundle}), the
 * {@link ConvVaeBlock}'s batch scorer.
 */
public final class ImageModelBundle extends LoadedBundle<ImageModelManifest> {

    private final ImageVaeScorer scorer;

    private ImageModelBundle(Path directory, ImageModelManifest manifest, Model model, ScoreCalibration calibration) {
        super(directory, manifest, model, calibration);
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
            verifyFiles(directory, manifest.files(), manifest.calibration());
            ConvVaeBlock block;
            try {
                block = manifest.newBlock();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new InvalidBundleException(directory, "it declares a network this service cannot build: "
                        + e.getMessage(), e);
            }
            ScoreCalibration calibration = readCalibration(directory, manifest.calibration(), mapper);
            Model model = loadParameters(directory, manifest.name(), device, block,
                    ImageModelManifest.PARAMS_PREFIX);
            return new ImageModelBundle(directory, manifest, model, calibration);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image model bundle " + directory, e);
        }
    }

    /** The batch scorer. */
    public ImageVaeScorer scorer() {
        return scorer;
    }
}
