package io.recon.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

import io.recon.scorer.HeatmapStore;

/** Heatmaps of recent image alerts, by event id (the alert's key on {@code recon.alerts}). */
@Path("/alerts")
public class AlertResource {

    @Inject
    HeatmapStore heatmaps;

    /** The per-pixel anomaly map of a recent image alert as a PNG; 404 for unknown or older ids. */
    @GET
    @Path("/{id}/heatmap.png")
    @Produces("image/png")
    public byte[] heatmap(@PathParam("id") String id) {
        return heatmaps.get(id).orElseThrow(() -> new NotFoundException("no recent image alert with id '" + id
                + "' (heatmaps of the most recent alerts are kept in memory; older ones are in the alert's "
                + "heatmapPng field)"));
    }
}
