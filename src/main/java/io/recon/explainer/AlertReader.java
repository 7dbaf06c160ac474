package io.recon.explainer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.event.InvalidEventException;

/**
 * Reads an alert from {@code recon.alerts} (the scorer's verdict JSON) into what the explainer
 * needs, or says exactly why it cannot: {@code alert_malformed} (not a JSON object),
 * {@code alert_missing_field} (no event id, model or, for telemetry, features), {@code bad_feature}
 * (a feature that is neither a number nor a text).
 */
final class AlertReader {

    private final ObjectMapper mapper;

    AlertReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ExplainableAlert read(byte[] value) {
        JsonNode a;
        try {
            a = value == null ? null : mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("alert_malformed", "the alert is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidEventException("alert_malformed", "the alert cannot be read: " + e.getMessage());
        }
        if (a == null || !a.isObject()) {
            throw new InvalidEventException("alert_malformed", "an alert must be a JSON object, as the scorer "
                    + "writes them to recon.alerts");
        }
        String eventId = text(a, "eventId");
        String model = text(a, "model");
        String stream = a.path("stream").asText("telemetry");
        Map<String, Object> features = null;
        if ("telemetry".equals(stream)) {
            JsonNode f = a.get("features");
            if (f == null || !f.isObject() || f.isEmpty()) {
                throw new InvalidEventException("alert_missing_field", "the telemetry alert of event '" + eventId
                        + "' carries no 'features' object (scorers before this version did not send them)");
            }
            features = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : f.properties()) {
                JsonNode v = e.getValue();
                if (v.isNumber()) {
                    features.put(e.getKey(), v.asDouble());
                } else if (v.isTextual()) {
                    features.put(e.getKey(), v.asText());
                } else {
                    throw new InvalidEventException("bad_feature", "feature '" + e.getKey() + "' of the alert of "
                            + "event '" + eventId + "' is " + v.getNodeType().name().toLowerCase()
                            + ", not a number or a text");
                }
            }
        }
        return new ExplainableAlert(eventId, a.path("source").asText(null), stream, model,
                a.path("modelVersion").asText(null), a.path("severity").asText(null), a.path("scoredAt").asLong(0),
                features, a.path("inputPng").isTextual() ? a.get("inputPng").asText() : null);
    }

    private static String text(JsonNode alert, String field) {
        JsonNode v = alert.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidEventException("alert_missing_field", "the alert has no '" + field + "' text");
        }
        return v.asText();
    }
}
