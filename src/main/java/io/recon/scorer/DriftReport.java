package io.recon.scorer;

/**
 * A model's drift as {@code GET /models/{name}/drift} serves it (the web console reads these names).
 *
 * @param model           model name
 * @param version         bundle version
 * @param windowEvents    non-alerting scores in the window
 * @param windowSize      how many it keeps
 * @param minEvents       fewest before it is judged
 * @param psi             population stability index against the calibration scores, null when empty
 * @param ks              Kolmogorov-Smirnov distance, null when empty
 * @param psiAlertLevel   PSI above this is drift
 * @param ksAlertLevel    KS above this is drift: the critical value at {@code ksSignificance} for this
 *                        window's and the calibration's sizes; null when empty
 * @param ksSignificance  chance of a KS alarm on undrifted traffic
 * @param drifting        the window holds at least {@code minEvents} and PSI or KS is above its level
 * @param threshold       the alert threshold in force
 * @param calibrationRows scores the calibration quantiles came from
 * @param targetFpr       false-positive rate the threshold was set at
 * @param recentEvents    scores of every event (alerts too) a recalibration would use
 * @param recentAlertShare share of those above the threshold, null when none
 */
public record DriftReport(String model, String version, int windowEvents, int windowSize, int minEvents, Double psi,
        Double ks, double psiAlertLevel, Double ksAlertLevel, double ksSignificance, boolean drifting,
        double threshold, int calibrationRows, double targetFpr, int recentEvents, Double recentAlertShare) {
}
