package io.recon.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.recon.calibration.ScoreCalibration;

/**
 * What every loaded bundle holds, whatever its model family: where it came from, its manifest, the
 * network with its parameters on a device, and the calibration of its scores; and the loading steps
 * they share (digests first, then calibration, then parameters). Close it to free the native memory
 * of the parameters.
 *
 * @param <M> the manifest type of the family
 */
public abstract class LoadedBundle<M> implements AutoCloseable {

    private final Path directory;
    private final M manifest;
    private final Model model;
    private final ScoreCalibration calibration;

    protected LoadedBundle(Path directory, M manifest, Model model, ScoreCalibration calibration) {
        this.directory = directory;
        this.manifest = manifest;
        this.model = model;
        this.calibration = calibration;
    }

    /** Where the bundle was loaded from. */
    public Path directory() {
        return directory;
    }

    /** The manifest. */
    public M manifest() {
        return manifest;
    }

    /** Threshold and percentiles. */
    public ScoreCalibration calibration() {
        return calibration;
    }

    /** The DJL device the parameters live on. */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** The manager owning the parameters: open a sub-manager of it to run the network. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /** The network and its parameters. */
    protected Model model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Checks the manifest's file digests before anything else of the bundle is read. */
    static void verifyFiles(Path directory, Map<String, String> files, ModelManifest.Calibration calibration) {
        if (calibration == null || calibration.quantilesFile() == null) {
            throw new InvalidBundleException(directory, "its manifest has no calibration");
        }
        BundleDigests.verify(directory, files, BundleDigests.required(directory, calibration.quantilesFile()));
    }

    /** A model with {@code block} and the bundle's parameters, on {@code device}. */
    static Model loadParameters(Path directory, String name, Device device, Block block, String prefix) {
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
}
