package io.recon.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Model;

/**
 * Writes a model bundle folder, the same layout for tabular and image models: the DJL
 * parameters ({@code <prefix>-0000.params}, older parameter files removed), {@code manifest.json}
 * and {@code calibration.json} (quantiles of the held-out normal scores the threshold was set on).
 * The manifest is written last, listing the digests of the files before it: a bundle whose
 * writing was interrupted has no manifest, or one its files do not match, and is refused at load.
 */
public final class BundleWriter {

    /** The quantiles file inside a bundle. */
    public static final String CALIBRATION_FILE = "calibration.json";

    private BundleWriter() {
    }

    /**
     * @param mapper       JSON mapper (pretty-printed output)
     * @param dir          bundle folder, created if needed
     * @param model        trained model
     * @param paramsPrefix parameter file prefix
     * @param manifest     the manifest record, given the digests of the files written before it
     * @param score        name of the calibrated score
     * @param quantiles    its calibration quantiles at probabilities 0, 0.001, ..., 1
     */
    public static void write(ObjectMapper mapper, Path dir, Model model, String paramsPrefix, Function<Map<String, String>, Object> manifest, String score,
            double[] quantiles) {
        try {
            Files.createDirectories(dir);
            // The old manifest goes first: until the new one is written, the folder is no bundle.
            Files.deleteIfExists(dir.resolve("manifest.json"));
            try (var old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".params")).toList()) {
                    Files.delete(p);
                }
            }
            model.save(dir, paramsPrefix);
            ObjectNode calibration = mapper.createObjectNode();
            calibration.put("score", score);
            calibration.put("description", "quantiles of the calibration rows' scores at probabilities 0, 0.001, ..., 1");
            calibration.set("quantiles", mapper.valueToTree(Arrays.stream(quantiles).map(BundleWriter::sixDecimals).toArray()));
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CALIBRATION_FILE).toFile(), calibration);
            Map<String, String> digests = BundleDigests.of(dir, BundleDigests.required(dir, CALIBRATION_FILE));
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(),
                    manifest.apply(digests));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write bundle to " + dir, e);
        }
    }

    /** Quantiles kept to six decimals: the file stays readable and the threshold unchanged. */
    private static double sixDecimals(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
