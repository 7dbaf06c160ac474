package io.recon.bundle;

import io.recon.nn.vae.VaeBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.recon.feature.FeatureEncoder;
import io.recon.calibration.ScoreCalibration;
import io.recon.nn.vae.VaeScorer;

/**
 * A loaded model bundle: the manifest, the network with its parameters on a device, the feature
 * encoder and the calibration. Close it to free the native memory of the parameters.
 */
public final class ModelBundle implements AutoCloseable {

    private final Path directory;
    private final ModelManifest manifest;
    private final Model model;
    private final FeatureEncoder encoder;
    private final ScoreCalibration calibration;
    private final VaeScorer scorer;

    private ModelBundle(Path directory, ModelManifest manifest, Model model, ScoreCalibration calibration) {
        this.directory = directory;
        this.manifest = manifest;
        this.model = model;
        this.encoder = new FeatureEncoder(manifest.inputSchema().features());
        this.calibration = calibration;
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

    /** Checks the manifest's file digests before anything else of the bundle is read. */
    static void verifyFiles(Path directory, java.util.Map<String, String> files, ModelManifest.Calibration calibration) {
        if (calibration == null || calibration.quantilesFile() == null) {
            throw new InvalidBundleException(directory, "its manifest has no calibration");
        }
        BundleDigests.verify(directory, files, BundleDigests.required(directory, calibration.quantilesFile()));
    }

    /** A model with {@code block} and the bundle's parameters, on {@code device}. */
    static Model loadParameters(Path directory, String name, Device device, ai.djl.nn.Block block, String prefix) {
        Model model = Model.newInstance(name, device);
        try {
            model.setBlock(block);
            model.load(directory, prefix);
            return model;
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("Cannot read model bundle " + directory, e);
        } catch (MalformedModelException e) {
            model.close();
            throw new InvalidBundleException(directory, "its parameters do not fit the network its manifest "
                    + "declares: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The threshold and the quantiles file of {@code calibration}. */
    static ScoreCalibration readCalibration(Path directory, ModelManifest.Calibration calibration,
            ObjectMapper mapper) throws IOException {
        JsonNode node = mapper.readTree(directory.resolve(calibration.quantilesFile()).toFile());
        double[] quantiles = mapper.convertValue(node.get("quantiles"), double[].class);
        return new ScoreCalibration(calibration.threshold(), quantiles);
    }

    /** Where the bundle was loaded from. */
    public Path directory() {
        return directory;
    }

    /** The manifest. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** Encoder of the model's input schema. */
    public FeatureEncoder encoder() {
        return encoder;
    }

    /** Threshold and percentiles. */
    public ScoreCalibration calibration() {
        return calibration;
    }

    /** The batch scorer. */
    public VaeScorer scorer() {
        return scorer;
    }

    /** The network, with its loaded parameters. */
    public VaeBlock block() {
        return (VaeBlock) model.getBlock();
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
