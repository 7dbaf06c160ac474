package io.recon.console;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One alert as the live list shows it: who, when, which model, how far over the threshold and the
 * features that stand out. The images and every other field stay in the alert itself, served whole
 * by the detail page.
 *
 * @param eventId      the alerting event's id (the alert's key on {@code recon.alerts})
 * @param source       the event's source
 * @param stream       {@code telemetry} or {@code imaging}
 * @param eventTs      event time (epoch ms)
 * @param scoredAt     when it was scored (epoch ms)
 * @param model        the scoring model
 * @param modelVersion its version
 * @param severity     low, medium, high or critical
 * @param alertScore   which score crossed the threshold
 * @param score        its value
 * @param threshold    the threshold it crossed
 * @param percentile   the score's percentile among held-out normal events
 * @param topFeatures  the three largest contributions' features (telemetry), largest first
 * @param sentence     the explainer's sentence, once it has explained the alert
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertSummary(String eventId, String source, String stream, long eventTs, long scoredAt, String model,
        String modelVersion, String severity, String alertScore, double score, double threshold, double percentile,
        List<String> topFeatures, String sentence) {

    private static final int TOP_FEATURES = 3;

    /** The summary of an alert as written by the scorer, or an {@link IllegalArgumentException}. */
    static AlertSummary of(JsonNode alert) {
        String id = alert.path("eventId").asText(null);
        if (id == null || id.isEmpty() || !alert.path("score").isNumber()) {
            throw new IllegalArgumentException("not an alert: no eventId or no numeric score");
        }
        List<String> top = new ArrayList<>();
        for (JsonNode c : alert.path("topContributions")) {
            if (top.size() == TOP_FEATURES) {
                break;
            }
            top.add(c.path("feature").asText());
        }
        return new AlertSummary(id, alert.path("source").asText(""), alert.path("stream").asText("telemetry"),
                alert.path("eventTs").asLong(), alert.path("scoredAt").asLong(), alert.path("model").asText(""),
                alert.path("modelVersion").asText(""), alert.path("severity").asText("low"),
                alert.path("alertScore").asText(""), alert.path("score").asDouble(),
                alert.path("threshold").asDouble(), alert.path("percentile").asDouble(), List.copyOf(top), null);
    }

    /** The same alert, explained. */
    AlertSummary explainedBy(String explanationSentence) {
        return new AlertSummary(eventId, source, stream, eventTs, scoredAt, model, modelVersion, severity, alertScore,
                score, threshold, percentile, topFeatures, explanationSentence);
    }
}
