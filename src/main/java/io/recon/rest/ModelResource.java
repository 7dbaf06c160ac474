package io.recon.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import ai.djl.Device;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ImageModelManifest;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;
import io.recon.security.ApiKeys;
import io.recon.scorer.DriftMonitor;
import io.recon.scorer.DriftReference;
import io.recon.scorer.DriftReport;
import io.recon.scorer.ModelRegistry;
import io.recon.scorer.RecalibrationRefusedException;
import io.recon.scorer.Recalibrator;
import io.recon.scorer.ReloadRefusedException;
import io.smallrye.common.annotation.Blocking;

/**
 * The loaded models: a summary list, each full manifest, a reload without restart, each model's drift, and
 * recalibration of its threshold (and its undo).
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject
    ModelRegistry registry;

    @Inject
    DriftMonitor drift;

    @Inject
    Recalibrator recalibrator;

    /** One summary per loaded model. */
    @GET
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> all = new ArrayList<>();
        registry.loaded().forEach(b -> all.add(summary(b)));
        registry.loadedImaging().forEach(b -> all.add(summary(b)));
        return all;
    }

    /** The full manifest of a loaded model (telemetry or image). */
    @GET
    @Path("/{name}")
    public Object manifest(@PathParam("name") String name) {
        Optional<ImageModelBundle> image = findImage(name);
        return image.isPresent() ? image.get().manifest() : find(name).manifest();
    }

    /**
     * Loads the model's bundle from disk again (after a retrain) and swaps it in; admin keys only.
     * A bundle that cannot be loaded (damaged, digests not matching, wrong shape) gets 409 with
     * reason {@code bundle_refused}, and the loaded version keeps serving.
     */
    @POST
    @RolesAllowed(ApiKeys.ADMIN)
    @Path("/{name}/reload")
    @Blocking
    public Response reload(@PathParam("name") String name) {
        try {
            if (findImage(name).isPresent()) {
                // Image bundles are reloaded together: the router's modality table must stay consistent.
                return Response.ok(registry.reloadImaging().stream().filter(b -> b.manifest().name().equals(name))
                        .findFirst().map(ModelResource::summary)
                        .orElseThrow(() -> new NotFoundException("model '" + name + "' is no longer configured")))
                        .build();
            }
            find(name);
            return Response.ok(summary(registry.reloadTelemetry())).build();
        } catch (ReloadRefusedException e) {
            return ApiErrors.response(Response.Status.CONFLICT, "bundle_refused", e.getMessage()).build();
        }
    }

    /** The model's recent non-alerting scores against its calibration: PSI, KS, their levels, drifting or not. */
    @GET
    @Path("/{name}/drift")
    public DriftReport drift(@PathParam("name") String name) {
        Optional<ImageModelBundle> image = findImage(name);
        return drift.report(image.isPresent() ? DriftReference.of(image.get()) : DriftReference.of(find(name)));
    }

    /**
     * Sets the threshold from the model's recent scores at its target false-positive rate, keeps the old
     * one in the manifest's {@code thresholdHistory} and serves the new one at once; admin keys only. 409
     * with the reason when the window is too small ({@code too_few_events}), holds too many alerts
     * ({@code too_many_alerts}), or the bundle cannot be written or loaded.
     */
    @POST
    @RolesAllowed(ApiKeys.ADMIN)
    @Path("/{name}/recalibrate")
    @Blocking
    public Response recalibrate(@PathParam("name") String name) {
        return changed(name, () -> recalibrator.recalibrate(name));
    }

    /** Restores the threshold the last recalibration replaced; admin keys only; 409 {@code nothing_to_undo}. */
    @POST
    @RolesAllowed(ApiKeys.ADMIN)
    @Path("/{name}/recalibrate/undo")
    @Blocking
    public Response undoRecalibration(@PathParam("name") String name) {
        return changed(name, () -> recalibrator.undo(name));
    }

    private Response changed(String name, Supplier<Recalibrator.Result> change) {
        if (findImage(name).isEmpty()) {
            find(name);
        }
        try {
            return Response.ok(change.get()).build();
        } catch (RecalibrationRefusedException e) {
            return ApiErrors.response(Response.Status.CONFLICT, e.reason(), e.getMessage()).build();
        }
    }

    private Optional<ImageModelBundle> findImage(String name) {
        return registry.loadedImaging().stream().filter(b -> b.manifest().name().equals(name)).findFirst();
    }

    private ModelBundle find(String name) {
        return registry.loaded().stream().filter(b -> b.manifest().name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no loaded model named '" + name + "'"));
    }

    private static Map<String, Object> summary(ModelBundle bundle) {
        ModelManifest m = bundle.manifest();
        return summary(m.name(), m.version(), m.kind(), bundle.device(), bundle.directory(), "features",
                m.inputSchema().features().size(), m.scoring().alertScore(), m.calibration(),
                m.training().dataFile(), m.metrics());
    }

    private static Map<String, Object> summary(ImageModelBundle bundle) {
        ImageModelManifest m = bundle.manifest();
        return summary(m.name(), m.version(), m.kind(), bundle.device(), bundle.directory(), "input",
                m.inputDescription(), m.scoring().alertScore(), m.calibration(),
                m.training().dataset() + ", " + m.training().normalDescription(), m.metrics());
    }

    /** The summary fields every kind of model has, plus one that says what its input is. */
    private static Map<String, Object> summary(String name, String version, String kind, Device device,
            java.nio.file.Path directory, String inputField, Object input, String alertScore,
            ModelManifest.Calibration calibration, String trainedOn, Object metrics) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("version", version);
        s.put("kind", kind);
        s.put("device", device.toString());
        s.put("directory", directory.toString());
        s.put(inputField, input);
        s.put("alertScore", alertScore);
        s.put("threshold", calibration.threshold());
        s.put("thresholdCalibration", calibration.method());
        s.put("trainedOn", trainedOn);
        if (metrics != null) {
            s.put("metrics", metrics);
        }
        return s;
    }
}
