package io.recon.scorer;

import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;
import io.recon.calibration.ScoreCalibration;

/**
 * What a model's drift is measured against: its loaded calibration.
 *
 * @param model           model name
 * @param version         bundle version
 * @param calibration     threshold and calibration quantiles in force
 * @param calibrationRows how many held-out normal scores the quantiles came from
 * @param targetFpr       the false-positive rate the threshold was set at
 */
public record DriftReference(String model, String version, ScoreCalibration calibration, int calibrationRows,
        double targetFpr) {

    /** The reference of a telemetry bundle. */
    public static DriftReference of(ModelBundle bundle) {
        return of(bundle.manifest().name(), bundle.manifest().version(), bundle.calibration(),
                bundle.manifest().calibration());
    }

    /** The reference of an image bundle. */
    public static DriftReference of(ImageModelBundle bundle) {
        return of(bundle.manifest().name(), bundle.manifest().version(), bundle.calibration(),
                bundle.manifest().calibration());
    }

    private static DriftReference of(String name, String version, ScoreCalibration calibration,
            ModelManifest.Calibration c) {
        return new DriftReference(name, version, calibration, c.rows(), c.targetFpr());
    }
}
