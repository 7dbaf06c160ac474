package io.recon.synthetic;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Context;

import io.recon.security.ApiKeys;
import io.smallrye.common.annotation.Blocking;

/**
 * Synthetic-data requests, admin keys only: {@code POST /synthetic/{generator}/requests} with
 * {@code {"count", "class", "modality", "rate", "seed"}} answers 202 and publishes in the
 * background; {@code GET .../requests/{id}} says how far it got; {@code GET /synthetic} lists the
 * generators this process runs.
 */
@Path("/synthetic")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiKeys.ADMIN)
public class SyntheticResource {

    @Inject
    SyntheticService service;

    /** The generators of this process: name, version, classes. */
    @GET
    public List<Map<String, Object>> generators() {
        return service.generators().stream().map(s -> Map.<String, Object>of("name", s.name(), "version",
                s.version(), "bundle", s.bundle(), "publishes", s.publishes(), "classes", s.classes())).toList();
    }

    /** Accepts a request: 202 with its status and a Location to follow it. */
    @POST
    @Path("/{generator}/requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response submit(@PathParam("generator") String generator, SyntheticRequest request,
            @Context UriInfo uri) {
        if (request == null) {
            return refused(RequestRefusedException.invalid("body_missing", "send a JSON body: {\"count\": 100, "
                    + "\"class\": \"...\"}"));
        }
        try {
            RequestStatus status = service.submit(generator, request);
            return Response.accepted(status).location(uri.getAbsolutePathBuilder().path(status.getId()).build())
                    .build();
        } catch (RequestRefusedException e) {
            return refused(e);
        }
    }

    /** How far a request got. */
    @GET
    @Path("/{generator}/requests/{id}")
    public Response status(@PathParam("generator") String generator, @PathParam("id") String id) {
        try {
            return Response.ok(service.status(generator, id)).build();
        } catch (RequestRefusedException e) {
            return refused(e);
        }
    }

    /**
     * A body whose fields have the wrong types ({@code "count": "many"}): 400 with a reason, as
     * every other refusal, rather than the framework's bare 400.
     */
    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e) {
        return malformed(e);
    }

    /** A body that is not JSON at all reaches here wrapped by the JSON reader; other errors pass unchanged. */
    @ServerExceptionMapper
    public Response unreadableBody(WebApplicationException e) {
        return e.getCause() instanceof JsonProcessingException json ? malformed(json) : e.getResponse();
    }

    private static Response malformed(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? "field '" + m.getPath().get(m.getPath().size() - 1).getFieldName() + "': " : "";
        return refused(RequestRefusedException.invalid("body_malformed", "the body is not a synthetic-data request "
                + "({\"count\": 100, \"class\": \"...\", \"rate\": 50, \"seed\": 7}): " + field
                + e.getOriginalMessage()));
    }

    private static Response refused(RequestRefusedException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("reason", e.reason(), "message", e.getMessage()));
        if (e.retryAfterSeconds() > 0) {
            r.header("Retry-After", e.retryAfterSeconds());
        }
        return r.build();
    }
}
