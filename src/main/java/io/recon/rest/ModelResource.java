package io.recon.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.recon.model.ModelBundle;
import io.recon.model.ModelManifest;
import io.recon.service.ModelRegistry;
import io.smallrye.common.annotation.Blocking;

/** The loaded models: a summary list, each full manifest, and a reload without restart. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject
    ModelRegistry registry;

    /** One summary per loaded model. */
    @GET
    public List<Map<String, Object>> list() {
        return registry.loaded().stream().map(ModelResource::summary).toList();
    }

    /** The full manifest of a loaded model. */
    @GET
    @Path("/{name}")
    public ModelManifest manifest(@PathParam("name") String name) {
        return find(name).manifest();
    }

    /** Loads the model's bundle from disk again (after a retrain) and swaps it in. */
    @POST
    @Path("/{name}/reload")
    @Blocking
    public Map<String, Object> reload(@PathParam("name") String name) {
        find(name);
        return summary(registry.reloadTelemetry());
    }

    private ModelBundle find(String name) {
        return registry.loaded().stream().filter(b -> b.manifest().name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no loaded model named '" + name + "'"));
    }

    private static Map<String, Object> summary(ModelBundle bundle) {
        ModelManifest m = bundle.manifest();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", m.name());
        s.put("version", m.version());
        s.put("kind", m.kind());
        s.put("device", bundle.device().toString());
        s.put("directory", bundle.directory().toString());
        s.put("features", m.inputSchema().features().size());
        s.put("alertScore", m.scoring().alertScore());
        s.put("threshold", m.calibration().threshold());
        s.put("thresholdCalibration", m.calibration().method());
        s.put("trainedOn", m.training().dataFile());
        if (m.metrics() != null) {
            s.put("metrics", m.metrics());
        }
        return s;
    }
}
