package io.recon.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The envelope fields every event shares ({@code id}, {@code ts}, {@code source}), read the
 * same way and refused with the same reasons, whatever the stream.
 */
public final class EnvelopeFields {

    private EnvelopeFields() {
    }

    /** A required non-empty string field. */
    public static String requiredText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidEventException("missing_field", "field '" + field + "' is required (a non-empty string)");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidEventException("bad_field", "field '" + field + "' must be a non-empty string, got "
                    + abbreviate(node.toString()));
        }
        return node.asText();
    }

    /** The {@code ts} field: epoch milliseconds or an ISO-8601 instant. */
    public static long timestamp(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidEventException("missing_field",
                    "field 'ts' is required (epoch milliseconds or an ISO-8601 instant)");
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through to the error below
            }
        }
        throw new InvalidEventException("bad_field",
                "field 'ts' must be epoch milliseconds (a non-negative integer) or an ISO-8601 instant, got "
                        + abbreviate(node.toString()));
    }

    /** A value short enough to quote in an error message. */
    public static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
