package io.recon.event;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * The fast path of {@link TelemetryEventDecoder}: reads a well-formed event straight from the
 * parser's tokens, without building a JSON tree first (the tree cost more than the rest of
 * decoding). It only ever accepts: anything unusual (invalid JSON, a missing or mistyped field,
 * a duplicate key, trailing content) returns null, and the tree decoder decides and explains,
 * so reasons and messages stay exactly those of the tree decoder.
 */
final class StreamingTelemetryParser {

    /** A flow record has about 50 features; sized so the map never rehashes. */
    private static final int FEATURE_CAPACITY = 128;

    private final JsonFactory factory;

    StreamingTelemetryParser(JsonFactory factory) {
        // The mapper's settings, plus Jackson's fast number parser: the same correctly rounded
        // doubles as Double.parseDouble, in a fraction of JDK 17's time (a flow has ~45 numbers).
        this.factory = factory.rebuild().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    }

    /** The event, or null when the tree decoder must decide. */
    TelemetryEvent parse(byte[] payload) {
        try (JsonParser p = factory.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String id = null;
            Long ts = null;
            String source = null;
            Map<String, Object> features = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == null) {
                    return null;
                }
                switch (field) {
                    case "id" -> {
                        if (id != null || (id = text(p, value)) == null) {
                            return null;
                        }
                    }
                    case "ts" -> {
                        if (ts != null || (ts = timestamp(p, value)) == null) {
                            return null;
                        }
                    }
                    case "source" -> {
                        if (source != null || (source = text(p, value)) == null) {
                            return null;
                        }
                    }
                    case "features" -> {
                        if (features != null || (features = features(p, value)) == null) {
                            return null;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null || id == null || ts == null || source == null || features == null
                    || EnvelopeFields.idProblem(id) != null) {
                return null;
            }
            return new TelemetryEvent(id, ts, source, features);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            return null;
        }
        String s = p.getText();
        return s.isBlank() ? null : s;
    }

    private static Long timestamp(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long ms = p.getLongValue();
            return ms >= 0 ? ms : null;
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Instant.parse(p.getText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static Map<String, Object> features(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, Object> features = new LinkedHashMap<>(FEATURE_CAPACITY);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                return null;
            }
            String name = p.currentName();
            JsonToken token = p.nextToken();
            Object v = token == null ? null : switch (token) {
                // As the tree does: an integer node's double, a float node's double.
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> finite(p.getDoubleValue());
                case VALUE_STRING -> p.getText();
                default -> null;
            };
            if (v == null || features.put(name, v) != null) {
                return null;
            }
        }
        return features.isEmpty() ? null : features;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
