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

    /** Longest accepted event id: ids key every verdict and alert, and appear in logs. */
    public static final int MAX_ID_LENGTH = 256;

    /**
     * The {@code id} field: a non-empty string of at most {@link #MAX_ID_LENGTH} characters, with
     * no control characters (a newline in an id would forge a line in any log that prints it) and
     * no unpaired surrogates (they cannot be encoded as the UTF-8 Kafka key of the alert).
     */
    public static String eventId(JsonNode root) {
        String id = requiredText(root, "id");
        String problem = idProblem(id);
        if (problem != null) {
            throw new InvalidEventException("bad_field", problem);
        }
        return id;
    }

    /** What is wrong with {@code id} as an event id, or null when nothing is. */
    static String idProblem(String id) {
        if (id.length() > MAX_ID_LENGTH) {
            return "field 'id' is " + id.length() + " characters long, over the limit of " + MAX_ID_LENGTH;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("field 'id' contains the control character U+%04X at position %d", (int) c, i);
            }
            boolean paired = Character.isHighSurrogate(c) && i + 1 < id.length()
                    && Character.isLowSurrogate(id.charAt(i + 1));
            if (paired) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "field 'id' contains an unpaired UTF-16 surrogate at position " + i;
            }
        }
        return null;
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
        return abbreviate(s, 60);
    }

    /** {@code s} cut to at most {@code max} characters, control characters shown as '?'. */
    public static String abbreviate(String s, int max) {
        String cut = s.length() <= max ? s : s.substring(0, max - 3) + "...";
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
