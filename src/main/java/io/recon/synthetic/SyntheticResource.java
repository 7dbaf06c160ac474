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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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
                s.version(), "bundle", s.bundle(), "classes", s.generator().classes())).toList();
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

    private static Response refused(RequestRefusedException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("reason", e.reason(), "message", e.getMessage()));
        if (e.retryAfterSeconds() > 0) {
            r.header("Retry-After", e.retryAfterSeconds());
        }
        return r.build();
    }
}
