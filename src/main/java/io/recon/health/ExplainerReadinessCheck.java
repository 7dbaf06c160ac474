package io.recon.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.explainer.ExplainerRole;

/**
 * Not ready while the explainer role warms up on synthetic alerts (it reads no real ones yet): a
 * rolling update then keeps the old pod until the new one explains at full speed.
 */
@Readiness
@ApplicationScoped
public class ExplainerReadinessCheck implements HealthCheck {

    @Inject
    ExplainerRole explainer;

    @Inject
    ReconConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("recon-explainer-warm");
        if (!config.roles().contains(Role.EXPLAINER)) {
            return r.up().withData("explainer", "not a role of this process").build();
        }
        if (explainer.isWarmingUp()) {
            return r.down().withData("warming up", "explaining synthetic alerts before reading real ones").build();
        }
        return r.up().build();
    }
}
