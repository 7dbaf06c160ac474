package io.recon.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.recon.kafka.PersistentWrites;

/**
 * Not ready while outcome writes are waiting to be retried: the scorer is then holding records it
 * cannot yet commit, and a load balancer or operator should know. It recovers by itself once the
 * writes go through; nothing is restarted or dropped.
 */
@Readiness
@ApplicationScoped
public class OutcomeWritesReadinessCheck implements HealthCheck {

    private final PersistentWrites writes;

    @Inject
    OutcomeWritesReadinessCheck(PersistentWrites writes) {
        this.writes = writes;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outcome-writes");
        return writes.stalled()
                .map(stall -> response.down().withData("waitingSince", stall.since().toString())
                        .withData("waitingWrites", stall.waiting()).withData("lastError", stall.lastError()).build())
                .orElseGet(() -> response.up().build());
    }
}
