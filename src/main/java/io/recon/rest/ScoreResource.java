package io.recon.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.event.InvalidEventException;
import io.recon.event.TelemetryEvent;
import io.recon.event.TelemetryEventDecoder;
import io.recon.scoring.Outcome;
import io.recon.service.ImagingScoringService;
import io.recon.service.TelemetryScoringService;
import io.smallrye.common.annotation.Blocking;

/**
 * Synchronous scoring for people and tools that do not speak Kafka: one event (a JSON object)
 * or a batch (a JSON array), scored by the same code as the stream. Nothing is published.
 */
@Path("/score")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ScoreResource {

    @Inject
    TelemetryScoringService scoring;

    @Inject
    ImagingScoringService imaging;

    @Inject
    ObjectMapper mapper;

    /**
     * Scores telemetry. A single event answers its verdict, or 400 with the reason. A batch
     * answers 200 with one entry per event, in order: a verdict, or {@code {"index", "error"}}.
     */
    @POST
    @Path("/telemetry")
    @Blocking
    public Response telemetry(JsonNode body) {
        TelemetryEventDecoder decoder = new TelemetryEventDecoder(mapper);
        if (body == null) {
            return badRequest(new InvalidEventException("empty_payload", "request body is empty"));
        }
        if (!body.isArray()) {
            try {
                Outcome outcome = scoring.scoreEvents(List.of(decoder.fromTree(body))).get(0);
                return outcome.isRejected() ? badRequest(outcome.rejection()) : Response.ok(outcome.verdict()).build();
            } catch (InvalidEventException e) {
                return badRequest(e);
            }
        }
        List<TelemetryEvent> valid = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            try {
                valid.add(decoder.fromTree(body.get(i)));
                positions.add(i);
                results.add(null);
            } catch (InvalidEventException e) {
                results.add(error(i, e));
            }
        }
        List<Outcome> outcomes = valid.isEmpty() ? List.of() : scoring.scoreEvents(valid);
        for (int j = 0; j < outcomes.size(); j++) {
            Outcome o = outcomes.get(j);
            int i = positions.get(j);
            results.set(i, o.isRejected() ? error(i, o.rejection()) : o.verdict());
        }
        return Response.ok(results).build();
    }

    /**
     * Scores one image event (the {@code imaging.events} envelope) by the stream's code path:
     * its verdict (an alert carries {@code heatmapPng}), or 400 with the reason. Nothing is
     * published; an alert's heatmap is kept for {@code GET /alerts/{id}/heatmap.png}.
     */
    @POST
    @Path("/image")
    @Blocking
    public Response image(JsonNode body) {
        if (body == null) {
            return badRequest(new InvalidEventException("empty_payload", "request body is empty"));
        }
        try {
            Outcome outcome = imaging.scoreEnvelope(body);
            return outcome.isRejected() ? badRequest(outcome.rejection()) : Response.ok(outcome.verdict()).build();
        } catch (InvalidEventException e) {
            return badRequest(e);
        }
    }

    private static Map<String, Object> error(int index, InvalidEventException e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", index);
        out.put("error", Map.of("reason", e.reason(), "message", e.getMessage()));
        return out;
    }

    private static Response badRequest(InvalidEventException e) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(Map.of("reason", e.reason(), "message", e.getMessage())).build();
    }
}
