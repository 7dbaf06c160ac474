package io.recon.rest;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import io.recon.config.ReconConfig;

/**
 * How much scoring the API may take from the Kafka path, which shares the CPU and the model with
 * it: at most {@code recon.rest.max-concurrent-requests} requests at once (more answer 503 at
 * once, rather than queue), and at most {@code recon.rest.max-events-per-second} telemetry events
 * and {@code recon.rest.max-images-per-second} images a second, all callers together (more answer
 * 429). Both with {@code Retry-After}. Without bounds, 16 busy API clients once pushed the stream's
 * event latency from well under a second to 29 s; with the concurrency bound alone, they still
 * scored about as many events as the stream and raised its p99 latency 4.7 times.
 */
@ApplicationScoped
public class ScoringAdmission {

    private final Semaphore slots;
    private final EventRate events;
    private final EventRate images;

    @Inject
    ScoringAdmission(ReconConfig config) {
        this(config.rest().maxConcurrentRequests(), config.rest().maxEventsPerSecond(),
                config.rest().maxImagesPerSecond(), config.rest().maxEventsPerRequest(), System::nanoTime);
    }

    /**
     * @param concurrent      requests at once (at least one)
     * @param eventsPerSecond telemetry events a second
     * @param imagesPerSecond images a second
     * @param largestRequest  events one request may hold: the bucket holds at least that many, so
     *                        that every admissible request can pass
     */
    ScoringAdmission(int concurrent, int eventsPerSecond, int imagesPerSecond, int largestRequest,
            java.util.function.LongSupplier nanoTime) {
        this.slots = new Semaphore(Math.max(1, concurrent));
        this.events = new EventRate(eventsPerSecond, Math.max(eventsPerSecond, largestRequest), nanoTime);
        this.images = new EventRate(imagesPerSecond, imagesPerSecond, nanoTime);
    }

    /** Null when {@code count} telemetry events may be scored now, else the 429 to answer. */
    Response chargeEvents(int count) {
        return charge(events, count, "telemetry events", "recon.rest.max-events-per-second");
    }

    /** Null when one image may be scored now, else the 429 to answer. */
    Response chargeImage() {
        return charge(images, 1, "images", "recon.rest.max-images-per-second");
    }

    private static Response charge(EventRate rate, int count, String what, String setting) {
        java.util.OptionalLong wait = rate.take(count);
        if (wait.isEmpty()) {
            return null;
        }
        long seconds = Math.max(1, (wait.getAsLong() + 999) / 1000);
        return ApiErrors.response(Response.Status.TOO_MANY_REQUESTS, "rate_limited", "the scoring API is at its "
                + "limit of " + what + " a second (" + setting + "); send bulk traffic to Kafka, or try again in "
                + seconds + " s").header("Retry-After", Long.toString(seconds)).build();
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
