package io.recon.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Why a payload could not be parsed as JSON, the same way for every stream. Jackson's own
 * limits (nesting depth, number and string length) come out as {@code too_complex}: such a
 * payload is well-formed enough to be an attack, not a typo. A parser error may carry no
 * location (constraint violations do not), so none is assumed.
 */
public final class JsonRejections {

    private JsonRejections() {
    }

    /** The rejection of a payload Jackson refused. */
    public static InvalidEventException of(JsonProcessingException e) {
        String detail = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int noise = detail.indexOf(" (start marker at");
        if (noise > 0) {
            detail = detail.substring(0, noise);
        }
        detail = EnvelopeFields.abbreviate(detail.replace("`", ""), 200);
        if (e instanceof StreamConstraintsException) {
            return new InvalidEventException("too_complex", "payload exceeds the JSON parser's limits: " + detail);
        }
        JsonLocation where = e.getLocation();
        String location = where == null || where.getLineNr() < 0 ? ""
                : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
        return new InvalidEventException("invalid_json", "payload is not valid JSON: " + detail + location);
    }
}
