package io.recon.scorer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;

/**
 * Loads the scorer's models (telemetry, and the image model when configured) at start, so a
 * missing or broken bundle fails the start, loudly.
 */
@ApplicationScoped
public class ScorerStartup {

    @Inject
    ReconConfig config;

    @Inject
    ModelRegistry registry;

    void onStart(@Observes StartupEvent event) {
        if (config.roles().contains(Role.SCORER)) {
            registry.telemetry();
            if (registry.isImagingConfigured()) {
                registry.imaging();
            }
        }
    }
}
