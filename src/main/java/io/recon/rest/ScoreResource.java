package io.recon.rest;

import java.io.IOException;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.config.ReconConfig;
import io.recon.event.InvalidEventException;
import io.recon.event.JsonRejections;
import io.recon.scorer.Outcome;
import io.recon.scorer.ImagingScoringService;
import io.recon.scorer.TelemetryScoringService;
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

    @Inject
    ReconConfig config;

    @Inject
    ScoringAdmission admission;

    /**
     * Scores telemetry. A single event answers its verdict, or 400 with the reason. A batch (a JSON
     * array of at most {@code recon.rest.max-events-per-request}) answers 200 with one entry per
     * event, in order: a verdict, or {@code {"index", "error"}}. Each event is decoded from its bytes
     * by the Kafka consumer's decoder, so the same limits and reasons apply.
     */
    @POST
    @Path("/telemetry")
    @Blocking
    public Response telemetry(byte[] body) {
        return admission.admit(() -> {
            try {
                return isArray(body) ? telemetryBatch(body) : telemetryEvent(body);
            } catch (InvalidEventException e) {
                return ApiErrors.badRequest(e);
            }
        });
    }

    private Response telemetryEvent(byte[] body) {
        Response limited = admission.chargeEvents(1);
        if (limited != null) {
            return limited;
        }
        Outcome outcome = scoring.scorePayloads(List.of(body)).get(0);
        return outcome.isRejected() ? ApiErrors.badRequest(outcome.rejection()) : Response.ok(outcome.verdict()).build();
    }

    private Response telemetryBatch(byte[] body) {
        JsonNode array;
        try {
            array = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw JsonRejections.of(e);
        } catch (IOException e) {
            throw new InvalidEventException("invalid_json", "request body could not be read");
        }
        int limit = config.rest().maxEventsPerRequest();
        if (array.size() > limit) {
            return ApiErrors.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, "too_many_events", "the request holds "
                    + array.size() + " events, over the limit of " + limit + " (recon.rest.max-events-per-request)")
                    .build();
        }
        Response limited = admission.chargeEvents(array.size());
        if (limited != null) {
            return limited;
        }
        List<byte[]> payloads = new ArrayList<>(array.size());
        for (JsonNode event : array) {
            try {
                payloads.add(mapper.writeValueAsBytes(event));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed tree always serialises", e);
            }
        }
        List<Outcome> outcomes = scoring.scorePayloads(payloads);
        List<Object> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            results.add(o.isRejected() ? error(i, o.rejection()) : o.verdict());
        }
        return Response.ok(results).build();
    }

    /**
     * Scores one image event (the {@code imaging.events} envelope) by the stream's code path, from
     * its bytes: its verdict (an alert carries {@code heatmapPng}), or 400 with the reason. Nothing
     * is published; an alert's heatmap is kept for {@code GET /alerts/{id}/heatmap.png}.
     */
    @POST
    @Path("/image")
    @Blocking
    public Response image(byte[] body) {
        return admission.admit(() -> {
            Response limited = admission.chargeImage();
            if (limited != null) {
                return limited;
            }
            Outcome outcome = imaging.scorePayloads(List.of(body)).get(0);
            return outcome.isRejected() ? ApiErrors.badRequest(outcome.rejection())
                    : Response.ok(outcome.verdict()).build();
        });
    }

    /** Whether the body's first non-blank byte opens a JSON array. */
    private static boolean isArray(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b == '[';
            }
        }
        return false;
    }

    private static Map<String, Object> error(int index, InvalidEventException e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", index);
        out.put("error", Map.of("reason", e.reason(), "message", e.getMessage()));
        return out;
    }

}
