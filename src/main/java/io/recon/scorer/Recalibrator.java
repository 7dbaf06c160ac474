package io.recon.scorer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.bundle.CalibrationHistory;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.LoadedBundle;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;
import io.recon.calibration.ThresholdCalibration;
import io.recon.config.ReconConfig;
import io.recon.evaluation.BinaryMetrics;

/**
 * Sets a loaded model's threshold from its recent scores ({@link DriftMonitor#recentScores}) at the
 * model's target false-positive rate, the way training set it on held-out normals
 * ({@link ThresholdCalibration}), writes it to the bundle ({@link CalibrationHistory}) and reloads the
 * bundle so that it serves at once; undo puts the previous one back the same way. A bundle that does
 * not load after the change gets its manifest back and keeps serving as before.
 */
@ApplicationScoped
public class Recalibrator {

    private static final Logger LOG = Logger.getLogger(Recalibrator.class);

    private final ModelRegistry registry;
    private final DriftMonitor drift;
    private final ReconConfig.Drift config;
    private final CalibrationHistory history;
    private final Clock clock = Clock.systemUTC();

    @Inject
    Recalibrator(ModelRegistry registry, DriftMonitor drift, ReconConfig config, ObjectMapper mapper) {
        this.registry = registry;
        this.drift = drift;
        this.config = config.drift();
        this.history = new CalibrationHistory(mapper);
    }

    /**
     * What a change did.
     *
     * @param model             model name
     * @param version           bundle version
     * @param previousThreshold the threshold before
     * @param threshold         the threshold now serving
     * @param quantilesFile     the calibration file now in force
     * @param events            recent scores it was set on (0 for an undo)
     * @param method            how the threshold in force was set
     */
    public record Result(String model, String version, double previousThreshold, double threshold,
            String quantilesFile, int events, String method) {
    }

    /**
     * @throws RecalibrationRefusedException when the window is too small or holds too many alerts, or the
     *                                       bundle cannot be written or loaded afterwards
     * @throws IllegalArgumentException      when no such model is loaded
     */
    public synchronized Result recalibrate(String name) {
        Target target = find(name);
        ModelManifest.Calibration current = target.calibration();
        double[] scores = drift.recentScores(name).orElse(new double[0]);
        if (scores.length < config.minEvents()) {
            throw new RecalibrationRefusedException("too_few_events", String.format(Locale.ROOT,
                    "the recent window of %s holds %d scored events; a threshold at a %.1f%% false-positive rate "
                            + "needs at least %d (recon.drift.min-events)", name, scores.length,
                    100 * current.targetFpr(), config.minEvents()));
        }
        double share = BinaryMetrics.fractionAbove(scores, current.threshold());
        if (share > config.recalibrateMaxAlertShare()) {
            throw new RecalibrationRefusedException("too_many_alerts", String.format(Locale.ROOT,
                    "%.1f%% of the %d recent events of %s alert, more than %.1f%% "
                            + "(recon.drift.recalibrate-max-alert-share): a threshold set on this traffic would "
                            + "hide its attacks", 100 * share, scores.length, name,
                    100 * config.recalibrateMaxAlertShare()));
        }
        ThresholdCalibration fresh = ThresholdCalibration.fromNormals(scores, current.targetFpr());
        Instant at = clock.instant();
        String method = fresh.method(current.score(), "recent scored events of live traffic, recalibrated " + at);
        Path dir = target.bundle().directory();
        CalibrationHistory.Change change;
        try {
            change = history.recalibrate(dir, fresh, method, at);
        } catch (IOException e) {
            throw new RecalibrationRefusedException("bundle_not_writable", "cannot write the bundle in " + dir
                    + " (" + e.getMessage() + "); the threshold is unchanged", e);
        }
        Target reloaded = reload(target, change);
        LOG.infof("Recalibrated %s: threshold %.4f -> %.4f on %d recent events (%s)", name, change.oldThreshold(),
                change.newThreshold(), scores.length, change.quantilesFile());
        return result(reloaded, change, scores.length);
    }

    /**
     * Restores the threshold the last recalibration replaced.
     *
     * @throws RecalibrationRefusedException when there is none, or the bundle cannot be written or loaded
     */
    public synchronized Result undo(String name) {
        Target target = find(name);
        Path dir = target.bundle().directory();
        CalibrationHistory.Change change;
        try {
            change = history.undo(dir, clock.instant()).orElseThrow(() -> new RecalibrationRefusedException(
                    "nothing_to_undo", "the manifest of " + name + " records no recalibration left to undo"));
        } catch (IOException e) {
            throw new RecalibrationRefusedException("bundle_not_writable", "cannot write the bundle in " + dir
                    + " (" + e.getMessage() + "); the threshold is unchanged", e);
        }
        Target reloaded = reload(target, change);
        LOG.infof("Undid the last recalibration of %s: threshold %.4f -> %.4f", name, change.oldThreshold(),
                change.newThreshold());
        return result(reloaded, change, 0);
    }

    /** A loaded model, whichever its family. */
    private record Target(LoadedBundle<?> bundle, String name, String version, ModelManifest.Calibration calibration,
            boolean telemetry) {

        static Target of(ModelBundle b) {
            return new Target(b, b.manifest().name(), b.manifest().version(), b.manifest().calibration(), true);
        }

        static Target of(ImageModelBundle b) {
            return new Target(b, b.manifest().name(), b.manifest().version(), b.manifest().calibration(), false);
        }
    }

    /** Loads the changed bundle and swaps it in; puts the manifest back if it does not load. */
    private Target reload(Target target, CalibrationHistory.Change change) {
        try {
            if (target.telemetry()) {
                return Target.of(registry.reloadTelemetry());
            }
            return registry.reloadImaging().stream().filter(b -> b.manifest().name().equals(target.name()))
                    .findFirst().map(Target::of)
                    .orElseThrow(() -> new IllegalStateException(target.name() + " is no longer configured"));
        } catch (ReloadRefusedException e) {
            try {
                CalibrationHistory.restore(target.bundle().directory(), change);
            } catch (IOException restore) {
                e.addSuppressed(restore);
            }
            throw new RecalibrationRefusedException("bundle_refused", "the recalibrated bundle did not load ("
                    + e.getMessage() + "); its manifest is restored", e);
        }
    }

    private Target find(String name) {
        for (ModelBundle b : registry.loaded()) {
            if (b.manifest().name().equals(name)) {
                return Target.of(b);
            }
        }
        for (ImageModelBundle b : registry.loadedImaging()) {
            if (b.manifest().name().equals(name)) {
                return Target.of(b);
            }
        }
        throw new IllegalArgumentException("no loaded model named '" + name + "'");
    }

    private static Result result(Target t, CalibrationHistory.Change change, int events) {
        return new Result(t.name(), t.version(), change.oldThreshold(), t.calibration().threshold(),
                t.calibration().quantilesFile(), events, t.calibration().method());
    }
}
