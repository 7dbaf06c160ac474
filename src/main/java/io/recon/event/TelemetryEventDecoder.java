package io.recon.event;

import static io.recon.event.EnvelopeFields.eventId;
import static io.recon.event.EnvelopeFields.requiredText;
import static io.recon.event.EnvelopeFields.timestamp;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the JSON bytes of a telemetry event into a {@link TelemetryEvent}, or explains exactly
 * why it cannot. Checks only the envelope; whether the features fit a model is the encoder's job.
 */
public final class TelemetryEventDecoder {

    /** Events larger than this are rejected before parsing (a flow record is a few hundred bytes). */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private final ObjectMapper mapper;
    private final int maxBytes;
    private final StreamingTelemetryParser fastPath;

    /** A decoder with the default size limit. */
    public TelemetryEventDecoder(ObjectMapper mapper) {
        this(mapper, DEFAULT_MAX_BYTES);
    }

    /** A decoder that rejects payloads over {@code maxBytes}. */
    public TelemetryEventDecoder(ObjectMapper mapper, int maxBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
        this.fastPath = new StreamingTelemetryParser(mapper.getFactory());
    }

    /** Decodes UTF-8 JSON text. */
    public TelemetryEvent decode(String json) {
        if (json == null) {
            throw new InvalidEventException("empty_payload", "payload is empty (null record value)");
        }
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes UTF-8 JSON bytes. */
    public TelemetryEvent decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new InvalidEventException("empty_payload", "payload is empty");
        }
        if (payload.length > maxBytes) {
            throw new InvalidEventException("too_large",
                    "payload is " + payload.length + " bytes, over the limit of " + maxBytes + " bytes");
        }
        TelemetryEvent event = fastPath.parse(payload);
        if (event != null) {
            return event;
        }
        // Not a well-formed event: the tree says exactly what is wrong with it.
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw JsonRejections.of(e);
        } catch (java.io.IOException e) {
            throw new InvalidEventException("invalid_json", "payload could not be read: " + e.getMessage());
        }
        return fromTree(root);
    }

    /** Decodes an already parsed JSON tree (the REST path). */
    public TelemetryEvent fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("not_an_object",
                    "payload must be a JSON object with id, ts, source and features, got "
                            + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        String id = eventId(root);
        long ts = timestamp(root.get("ts"));
        String source = requiredText(root, "source");
        JsonNode featuresNode = root.get("features");
        if (featuresNode == null || featuresNode.isNull()) {
            throw new InvalidEventException("missing_field", "field 'features' is required (an object of name: value)");
        }
        if (!featuresNode.isObject()) {
            throw new InvalidEventException("bad_field", "field 'features' must be an object, got "
                    + featuresNode.getNodeType().toString().toLowerCase());
        }
        Map<String, Object> features = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = featuresNode.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            features.put(field.getKey(), featureValue(field.getKey(), field.getValue()));
        }
        if (features.isEmpty()) {
            throw new InvalidEventException("missing_field", "field 'features' is empty");
        }
        return new TelemetryEvent(id, ts, source, features);
    }

    private static Object featureValue(String name, JsonNode value) {
        if (value.isNumber()) {
            double v = value.asDouble();
            if (!Double.isFinite(v)) {
                throw new InvalidEventException("bad_feature", "feature '" + name + "' is not a finite number");
            }
            return v;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        throw new InvalidEventException("bad_feature", "feature '" + name
                + "' must be a number or a string, got " + value.getNodeType().toString().toLowerCase());
    }
}
