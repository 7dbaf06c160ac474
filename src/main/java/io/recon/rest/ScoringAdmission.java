package io.recon.rest;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import io.recon.config.ReconConfig;

/**
 * How many scoring requests run at once. The API and the Kafka consumers share the CPU and the
 * model; without a bound, 16 busy API clients once pushed the stream's event latency from well
 * under a second to 29 s. A request over the bound is answered 503 at once, with
 * {@code Retry-After}, rather than queued behind the others.
 */
@ApplicationScoped
public class ScoringAdmission {

    private final Semaphore slots;

    @Inject
    ScoringAdmission(ReconConfig config) {
        this(config.rest().maxConcurrentRequests());
    }

    /** At most {@code concurrent} requests at once (at least one). */
    ScoringAdmission(int concurrent) {
        this.slots = new Semaphore(Math.max(1, concurrent));
    }

    /** Runs {@code scoring} if a slot is free, else answers 503. */
    public Response admit(Supplier<Response> scoring) {
        if (!slots.tryAcquire()) {
            return ApiErrors.response(Response.Status.SERVICE_UNAVAILABLE, "server_busy",
                    "the scoring API is serving its limit of concurrent requests "
                            + "(recon.rest.max-concurrent-requests); try again shortly")
                    .header("Retry-After", "1").build();
        }
        try {
            return scoring.get();
        } finally {
            slots.release();
        }
    }
}
