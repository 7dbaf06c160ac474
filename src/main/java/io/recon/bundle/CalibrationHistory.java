package io.recon.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.calibration.ThresholdCalibration;

/**
 * Changes a bundle's threshold on disk, and back, keeping each change in the manifest's
 * {@code thresholdHistory}: a recalibration writes the new quantiles to a file of their own
 * ({@code calibration-<time>.json}, the old file stays), points {@code calibration} at it and lists
 * its digest in {@code files}; the parameters' digests are kept as they are (nothing is sealed
 * afresh), so the bundle loads after a restart exactly as it verified before. Undo restores the
 * calibration a recalibration replaced, with the digest its quantiles file had then. Works on the
 * manifest's JSON, so fields this version does not know are kept.
 */
public final class CalibrationHistory {

    /** The manifest's list of threshold changes. */
    public static final String FIELD = "thresholdHistory";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;

    public CalibrationHistory(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * A change made: the thresholds before and after, and the manifest as it was, to put back if the
     * bundle then fails to load.
     */
    public record Change(double oldThreshold, double newThreshold, String quantilesFile, byte[] previousManifest) {
    }

    /**
     * Sets a bundle's threshold and quantiles from recent scores.
     *
     * @param dir    the bundle folder
     * @param fresh  the calibration on the recent scores
     * @param method how, in words, for the manifest and the alerts
     * @param at     when
     */
    public Change recalibrate(Path dir, ThresholdCalibration fresh, String method, Instant at) throws IOException {
        Path manifestFile = dir.resolve(ModelManifest.FILE);
        byte[] before = Files.readAllBytes(manifestFile);
        ObjectNode manifest = (ObjectNode) mapper.readTree(before);
        ObjectNode calibration = (ObjectNode) manifest.path("calibration");
        ObjectNode files = (ObjectNode) manifest.path("files");
        String oldFile = calibration.path("quantilesFile").asText();
        String newFile = uniqueName(dir, "calibration-" + STAMP.format(at));
        ObjectNode quantiles = mapper.createObjectNode();
        quantiles.put("score", calibration.path("score").asText());
        quantiles.put("description", "quantiles of " + fresh.rows() + " recent scores of live traffic at "
                + "probabilities 0, 0.001, ..., 1 (recalibrated " + at + ")");
        quantiles.set("quantiles", mapper.valueToTree(Arrays.stream(fresh.quantiles())
                .map(v -> Math.round(v * 1e6) / 1e6).toArray()));
        mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(newFile).toFile(), quantiles);

        ObjectNode entry = mapper.createObjectNode();
        entry.put("at", at.toString());
        entry.put("how", "recalibrate");
        entry.put("old", calibration.path("threshold").asDouble());
        entry.put("new", fresh.threshold());
        entry.put("events", fresh.rows());
        entry.put("method", method);
        entry.set("previous", calibration.deepCopy());
        entry.put("previousQuantilesSha256", files.path(oldFile).asText());

        double oldThreshold = calibration.path("threshold").asDouble();
        calibration.put("threshold", fresh.threshold());
        calibration.put("targetFpr", fresh.targetFpr());
        calibration.put("rows", fresh.rows());
        calibration.put("method", method);
        calibration.put("quantilesFile", newFile);
        files.remove(oldFile);
        files.put(newFile, BundleDigests.sha256(dir.resolve(newFile)));
        history(manifest).add(entry);
        write(manifestFile, manifest);
        return new Change(oldThreshold, fresh.threshold(), newFile, before);
    }

    /**
     * Restores the calibration the last recalibration not yet undone replaced.
     *
     * @return the change, or empty when there is nothing to undo (the manifest is left alone)
     */
    public Optional<Change> undo(Path dir, Instant at) throws IOException {
        Path manifestFile = dir.resolve(ModelManifest.FILE);
        byte[] before = Files.readAllBytes(manifestFile);
        ObjectNode manifest = (ObjectNode) mapper.readTree(before);
        ArrayNode history = history(manifest);
        ObjectNode last = null;
        for (int i = history.size() - 1; i >= 0 && last == null; i--) {
            JsonNode e = history.get(i);
            if ("recalibrate".equals(e.path("how").asText()) && !e.has("undoneAt") && e.path("previous").isObject()) {
                last = (ObjectNode) e;
            }
        }
        if (last == null) {
            return Optional.empty();
        }
        ObjectNode calibration = (ObjectNode) manifest.path("calibration");
        ObjectNode files = (ObjectNode) manifest.path("files");
        ObjectNode previous = (ObjectNode) last.get("previous").deepCopy();
        double oldThreshold = calibration.path("threshold").asDouble();
        files.remove(calibration.path("quantilesFile").asText());
        // The digest the restored file had when it was replaced: a file changed since is refused at load.
        files.put(previous.path("quantilesFile").asText(), last.path("previousQuantilesSha256").asText());
        manifest.set("calibration", previous);
        last.put("undoneAt", at.toString());
        ObjectNode entry = mapper.createObjectNode();
        entry.put("at", at.toString());
        entry.put("how", "undo");
        entry.put("old", oldThreshold);
        entry.put("new", previous.path("threshold").asDouble());
        entry.put("undoes", last.path("at").asText());
        history.add(entry);
        write(manifestFile, manifest);
        return Optional.of(new Change(oldThreshold, previous.path("threshold").asDouble(),
                previous.path("quantilesFile").asText(), before));
    }

    /** Puts a manifest back as it was before a change (the bundle did not load after it). */
    public static void restore(Path dir, Change change) throws IOException {
        Path tmp = dir.resolve(".manifest.json.restore");
        Files.write(tmp, change.previousManifest());
        Files.move(tmp, dir.resolve(ModelManifest.FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private ArrayNode history(ObjectNode manifest) {
        JsonNode h = manifest.get(FIELD);
        return h instanceof ArrayNode a ? a : manifest.putArray(FIELD);
    }

    /** Written beside it and moved over it: a reader sees the old manifest or the new, never half of one. */
    private void write(Path manifestFile, ObjectNode manifest) throws IOException {
        Path tmp = manifestFile.resolveSibling("." + manifestFile.getFileName() + ".tmp");
        mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), manifest);
        Files.move(tmp, manifestFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String uniqueName(Path dir, String base) {
        String name = base + ".json";
        for (int i = 2; Files.exists(dir.resolve(name)); i++) {
            name = base + "-" + i + ".json";
        }
        return name;
    }
}
