package io.recon.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.recon.event.InvalidEventException;

/** Error bodies of the API: the reason code and message a dead letter would carry, and nothing else. */
final class ApiErrors {

    private ApiErrors() {
    }

    /** 400 with the rejection's reason code and message. */
    static Response badRequest(InvalidEventException e) {
        return response(Response.Status.BAD_REQUEST, e.reason(), e.getMessage()).build();
    }

    /** A JSON error body {@code {"reason", "message"}} with the given status. */
    static Response.ResponseBuilder response(Response.Status status, String reason, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("reason", reason, "message", message));
    }
}
