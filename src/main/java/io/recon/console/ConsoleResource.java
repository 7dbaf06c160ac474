package io.recon.console;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;

/**
 * The data behind the web console ({@code /console/}): recent alerts with filters, one alert whole
 * with its explanation, recent dead letters, stream rates and lag, and a live stream of updates
 * (server-sent events). Read endpoints: open or key-holders only, as {@code recon.security.read-policy}
 * says.
 */
@Path("/console/api")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {

    private static final int MAX_LIMIT = 1000;

    @Inject
    ConsoleFeed feed;

    @Inject
    StreamRates rates;

    @Inject
    ObjectMapper mapper;

    /** The newest alerts that pass the filters, newest first, and the streams and models seen. */
    @GET
    @Path("/alerts")
    public Map<String, Object> alerts(@QueryParam("stream") String stream, @QueryParam("model") String model,
            @QueryParam("severity") String severity, @QueryParam("since") @DefaultValue("0") long since,
            @QueryParam("limit") @DefaultValue("200") int limit) {
        RecentAlerts recent = running();
        AlertFilter filter;
        try {
            filter = new AlertFilter(stream, model, severity, since);
        } catch (IllegalArgumentException e) {
            throw error(Response.Status.BAD_REQUEST, "bad_filter", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", recent.newest(filter, Math.max(1, Math.min(MAX_LIMIT, limit))));
        out.putAll(recent.choices());
        return out;
    }

    /** An alert whole, as the scorer wrote it, with the explainer's explanation once there is one. */
    @GET
    @Path("/alerts/{id}")
    public Map<String, Object> alert(@PathParam("id") String id) throws IOException {
        RecentAlerts recent = running();
        byte[] alert = recent.alert(id).orElseThrow(() -> error(Response.Status.NOT_FOUND, "no_recent_alert",
                "no recent alert with id '" + id + "' (the console keeps the most recent ones; older alerts are on "
                        + "recon.alerts, keyed by event id)"));
        Optional<byte[]> explanation = recent.explanation(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alert", mapper.readTree(alert));
        out.put("explanation", explanation.isPresent() ? mapper.readTree(explanation.get()) : null);
        return out;
    }

    /** The most recent dead letters from every dead-letter topic, newest first. */
    @GET
    @Path("/dead-letters")
    public List<DeadLetter> deadLetters(@QueryParam("limit") @DefaultValue("100") int limit) {
        running();
        return feed.deadLetters(Math.max(1, Math.min(MAX_LIMIT, limit)));
    }

    /** Records per second of each stream over the last minute, and the scorer's lag. */
    @GET
    @Path("/rates")
    public StreamRates.Snapshot rates() {
        running();
        return rates.snapshot();
    }

    /** New alerts, explanations and dead letters as they arrive, as server-sent events (JSON). */
    @GET
    @Path("/updates")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ConsoleUpdate> updates() {
        running();
        return feed.updates();
    }

    private RecentAlerts running() {
        if (!feed.serving()) {
            throw error(Response.Status.NOT_FOUND, "console_not_running",
                    "this process does not run the console role (recon.roles)");
        }
        return feed.alerts();
    }

    private static WebApplicationException error(Response.Status status, String reason, String message) {
        Response body = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("reason", reason, "message", message)).build();
        return status == Response.Status.NOT_FOUND ? new NotFoundException(message, body)
                : new WebApplicationException(message, body);
    }
}
