package io.recon.event;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of scoring one event. Written to {@code recon.verdicts} for every event and, when
 * {@link #alert()} is true, to {@code recon.alerts}, keyed by the event id in both.
 *
 * @param eventId              id of the scored event
 * @param source               the event's source
 * @param stream               {@code telemetry} or {@code imaging}
 * @param eventTs              event time (epoch ms)
 * @param scoredAt             when it was scored (epoch ms)
 * @param model                model name
 * @param modelVersion         model version
 * @param device               where it was scored ({@code cpu()}, {@code gpu(0)})
 * @param scores               all three scores
 * @param alertScore           the score compared with the threshold
 * @param score                its value
 * @param threshold            the threshold
 * @param thresholdCalibration how the threshold was set, in words
 * @param percentile           the score's percentile among held-out normal events (0..100)
 * @param alert                whether the score is above the threshold
 * @param severity             none, low, medium, high or critical
 * @param topContributions     the features that contributed most (telemetry alerts only)
 * @param heatmapPng           the per-pixel anomaly map as a small grayscale PNG, base64 (image
 *                             alerts only; also served by {@code GET /alerts/{eventId}/heatmap.png})
 * @param features             the event's features as it sent them (telemetry alerts only), so that a
 *                             downstream consumer such as the explainer needs nothing but the alert
 * @param inputPng             the image as the model saw it (its size, its window), an 8-bit grayscale
 *                             PNG, base64 (image alerts only; the explainer reads it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verdict(String eventId, String source, String stream, long eventTs, long scoredAt, String model,
        String modelVersion, String device, EventScores scores, String alertScore, double score, double threshold,
        String thresholdCalibration, double percentile, boolean alert, String severity,
        List<Contribution> topContributions, String heatmapPng, Map<String, Object> features, String inputPng) {
}
