package io.recon.explainer;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Why an alert fired: written to {@code recon.explanations} keyed by the alert's event id, and
 * served by {@code GET /alerts/{id}/explanation}.
 *
 * @param eventId       the alerting event's id
 * @param source        the event's source
 * @param stream        {@code telemetry} or {@code imaging}
 * @param alertModel    the scoring model that raised the alert
 * @param alertVersion  its version
 * @param severity      the alert's severity
 * @param sentence      one sentence a person can act on
 * @param causes        the features that contributed most, largest first (telemetry)
 * @param totalSurprise the summed surprise of every feature, nats (an anomaly score of its own; telemetry)
 * @param regions       the regions that stand out, most unusual first (images)
 * @param heatmapPng    the explainer's map as an 8-bit grayscale PNG, base64 (images)
 * @param explainer     the model that made the explanation
 * @param alertedAt     when the alert was scored (epoch ms)
 * @param explainedAt   when the explanation was made (epoch ms)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Explanation(String eventId, String source, String stream, String alertModel, String alertVersion,
        String severity, String sentence, List<FeatureCause> causes, Double totalSurprise, List<ImageRegion> regions,
        String heatmapPng, Explainer explainer, long alertedAt, long explainedAt) {

    /** The JSON written to {@code recon.explanations} and served over REST. */
    byte[] toJson(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an explanation always serialises", e);
        }
    }

    /**
     * The model behind an explanation.
     *
     * @param name    bundle name
     * @param version bundle version
     * @param kind    model family ({@code masked-feature-transformer}, {@code masked-patch-transformer})
     * @param method  how contributions are scored, in words
     */
    public record Explainer(String name, String version, String kind, String method) {
    }
}
