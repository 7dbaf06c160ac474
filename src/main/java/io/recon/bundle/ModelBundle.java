package io.recon.bundle;

import io.recon.nn.vae.VaeBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.feature.FeatureEncoder;
import io.recon.calibration.ScoreCalibration;
import io.recon.nn.vae.VaeScorer;

/**
 * A loaded tabular model bundle: besides what every bundle holds ({@link LoadedBundle}), the
 * feature encoder of its input schema and the VAE's batch scorer.
 */
public final class ModelBundle extends LoadedBundle<ModelManifest> {

    private final FeatureEncoder encoder;
    private final VaeScorer scorer;

    private ModelBundle(Path directory, ModelManifest manifest, Model model, ScoreCalibration calibration) {
        super(directory, manifest, model, calibration);
        this.encoder = new FeatureEncoder(manifest.inputSchema().features());
        this.scorer = new VaeScorer((VaeBlock) model.getBlock(), model.getNDManager(),
                manifest.scoring().iwaeSamples(), manifest.scoring().samplesSeed());
    }

    /** Loads the bundle in {@code directory} onto {@code device}. */
    public static ModelBundle load(Path directory, Device device, ObjectMapper mapper) {
        Path manifestFile = directory.resolve(ModelManifest.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new InvalidBundleException(directory, ModelManifest.FILE
                    + " is missing (build one with the train command, see README)");
        }
        try {
            ModelManifest manifest = mapper.readValue(manifestFile.toFile(), ModelManifest.class);
            verifyFiles(directory, manifest.files(), manifest.calibration());
            ScoreCalibration calibration = readCalibration(directory, manifest.calibration(), mapper);
            Model model = loadParameters(directory, manifest.name(), device, new VaeBlock(manifest.architecture()),
                    ModelManifest.PARAMS_PREFIX);
            return new ModelBundle(directory, manifest, model, calibration);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model bundle " + directory, e);
        }
    }

    /** Encoder of the model's input schema. */
    public FeatureEncoder encoder() {
        return encoder;
    }

    /** The batch scorer. */
    public VaeScorer scorer() {
        return scorer;
    }

    /** The network, with its loaded parameters. */
    public VaeBlock block() {
        return (VaeBlock) model().getBlock();
    }
}
