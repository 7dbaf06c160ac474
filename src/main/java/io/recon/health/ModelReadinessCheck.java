package io.recon.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ModelBundle;
import io.recon.scorer.ModelRegistry;

/**
 * Ready only when the scorer's model is loaded (a scorer without a model must not get traffic).
 * Kafka connectivity is reported beside it by {@link KafkaReadinessCheck}.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    @Inject
    ModelRegistry registry;

    @Inject
    ReconConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("recon-models");
        if (!config.roles().contains(Role.SCORER)) {
            return r.up().withData("scorer", "not a role of this process").build();
        }
        if (!registry.isTelemetryLoaded()) {
            return r.down().withData("telemetry", "model not loaded").build();
        }
        if (registry.isImagingConfigured() && registry.loadedImaging().isEmpty()) {
            return r.down().withData("imaging", "model not loaded").build();
        }
        for (ModelBundle b : registry.loaded()) {
            r.withData(b.manifest().name(), b.manifest().version() + " on " + b.device());
        }
        for (ImageModelBundle b : registry.loadedImaging()) {
            r.withData(b.manifest().name(), b.manifest().version() + " on " + b.device());
        }
        return r.up().build();
    }
}
