package io.recon.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.explainer.ExplainerRole;

/**
 * Down when this process runs the explainer role and its loop has stopped on an error: the pod then
 * reads no alerts, and a restart is the remedy (Kubernetes' liveness probe, Compose's restart policy).
 */
@Liveness
@ApplicationScoped
public class ExplainerLivenessCheck implements HealthCheck {

    @Inject
    ExplainerRole explainer;

    @Inject
    ReconConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("recon-explainer");
        if (!config.roles().contains(Role.EXPLAINER)) {
            return r.up().withData("explainer", "not a role of this process").build();
        }
        if (explainer.failure().isPresent()) {
            return r.down().withData("stopped", explainer.failure().get()).build();
        }
        return r.up().withData("reading alerts", explainer.isRunning()).build();
    }
}
