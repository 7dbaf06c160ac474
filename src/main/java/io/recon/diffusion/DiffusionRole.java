package io.recon.diffusion;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.synthetic.SyntheticService;

/**
 * The {@code diffusion} role: loads the tabular diffusion model (TabDDPM) from its bundle
 * ({@code recon.models.diffusion}) and serves synthetic-data requests with it, publishing flow records
 * marked {@code synthetic: true} to {@code synthetic.telemetry}; with {@code recon.models.diffusion-images}
 * set, also the image DDPM, publishing images to {@code synthetic.imaging}. Idle until asked.
 */
@ApplicationScoped
public class DiffusionRole {

    @Inject
    ReconConfig config;

    @Inject
    SyntheticService service;

    void onStart(@Observes StartupEvent event) {
        if (config.roles().contains(Role.DIFFUSION)) {
            service.serveBundle(config.models().diffusion(), "tabddpm");
            config.models().diffusionImages().ifPresent(bundle -> service.serveImageBundle(bundle, "ddpm"));
        }
    }
}
