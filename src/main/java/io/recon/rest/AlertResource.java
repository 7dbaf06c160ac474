package io.recon.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.recon.explainer.ExplanationStore;
import io.recon.scorer.HeatmapStore;

/**
 * What this process keeps of recent alerts, by event id (the alert's key on {@code recon.alerts}):
 * image alerts' heatmaps (scorer role) and every explained alert's explanation (explainer role).
 */
@Path("/alerts")
public class AlertResource {

    @Inject
    HeatmapStore heatmaps;

    @Inject
    ExplanationStore explanations;

    /** The per-pixel anomaly map of a recent image alert as a PNG; 404 for unknown or older ids. */
    @GET
    @Path("/{id}/heatmap.png")
    @Produces("image/png")
    public byte[] heatmap(@PathParam("id") String id) {
        return heatmaps.get(id).orElseThrow(() -> new NotFoundException("no recent image alert with id '" + id
                + "' (heatmaps of the most recent alerts are kept in memory; older ones are in the alert's "
                + "heatmapPng field)"));
    }

    /**
     * Why a recent alert fired, as written to {@code recon.explanations}: the features that stand out,
     * with observed and expected values, and one sentence. 404 for an id this process has not
     * explained (yet, or any more), and where it does not run the explainer role.
     */
    @GET
    @Path("/{id}/explanation")
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] explanation(@PathParam("id") String id) {
        if (!explanations.serving()) {
            throw notFound("explainer_not_running", "this process does not run the explainer role (recon.roles); "
                    + "ask the one that does, or read recon.explanations, keyed by event id");
        }
        return explanations.get(id).orElseThrow(() -> notFound("no_recent_explanation", "no recent explanation for "
                + "an alert with id '" + id + "' (it may still be on its way; older ones are on recon.explanations, "
                + "keyed by event id)"));
    }

    private static NotFoundException notFound(String reason, String message) {
        return new NotFoundException(message, ApiErrors.response(Response.Status.NOT_FOUND, reason, message).build());
    }
}
