package io.recon.gan;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.synthetic.SyntheticService;

/**
 * The {@code gan} role: loads the conditional tabular GAN (CTGAN) from its bundle
 * ({@code recon.models.gan}) and serves synthetic-data requests with it, publishing flow records
 * marked {@code synthetic: true} to {@code synthetic.telemetry}; with {@code recon.models.gan-images} set,
 * also the image DCGAN, publishing images to {@code synthetic.imaging}. Idle until asked.
 */
@ApplicationScoped
public class GanRole {

    @Inject
    ReconConfig config;

    @Inject
    SyntheticService service;

    void onStart(@Observes StartupEvent event) {
        if (config.roles().contains(Role.GAN)) {
            service.serveBundle(config.models().gan(), "ctgan");
            config.models().ganImages().ifPresent(bundle -> service.serveImageBundle(bundle, "dcgan"));
        }
    }
}
