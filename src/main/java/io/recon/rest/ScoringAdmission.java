package io.recon.rest;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import io.recon.config.ReconConfig;
import io.recon.scorer.LowPriorityThreads;
import io.recon.scorer.StreamFirst;

/**
 * How much scoring the API may take from the Kafka path, which shares the CPU and the model with
 * it: at most {@code recon.rest.max-concurrent-requests} requests at once (more answer 503 at
 * once, rather than queue), and at most {@code recon.rest.max-events-per-second} telemetry events
 * and {@code recon.rest.max-images-per-second} images a second, all callers together (more answer
 * 429). Both with {@code Retry-After}. And a request starts only while no stream batch is being
 * scored ({@link StreamFirst}), waiting at most {@code recon.rest.stream-wait} (else 503), and runs
 * on threads of its own that the kernel schedules after the consumers' when the CPU is contended
 * ({@code recon.rest.scoring-nice}), so the API takes idle CPU, not the stream's. Without
 * bounds, 16 busy API clients once pushed the stream's event latency from well under a second to
 * 29 s; with the concurrency bound alone, they still scored about as many events as the stream and
 * raised its p99 latency 4.7 times; with the rate limit too, 7.7 times on a slow afternoon.
 */
@ApplicationScoped
public class ScoringAdmission {

    private final Semaphore slots;
    private final EventRate events;
    private final EventRate images;
    private final StreamFirst stream;
    private final long streamWaitMillis;
    private final ExecutorService scoringThreads;

    @Inject
    ScoringAdmission(ReconConfig config, StreamFirst stream) {
        this(config.rest().maxConcurrentRequests(), config.rest().maxEventsPerSecond(),
                config.rest().maxImagesPerSecond(), config.rest().maxEventsPerRequest(), System::nanoTime, stream,
                config.rest().streamWait().toMillis(), Executors.newFixedThreadPool(
                        Math.max(1, config.rest().maxConcurrentRequests()),
                        new LowPriorityThreads("api-scoring", config.rest().scoringNice())));
    }

    /**
     * @param concurrent      requests at once (at least one)
     * @param eventsPerSecond telemetry events a second
     * @param imagesPerSecond images a second
     * @param largestRequest  events one request may hold: the bucket holds at least that many, so
     *                        that every admissible request can pass
     * @param stream          the Kafka stream's claim on the scorer, which goes first
     * @param streamWaitMillis longest wait for the stream to pause before answering 503
     * @param scoringThreads  where admitted requests are scored, one thread per concurrent request
     */
    ScoringAdmission(int concurrent, int eventsPerSecond, int imagesPerSecond, int largestRequest,
            java.util.function.LongSupplier nanoTime, StreamFirst stream, long streamWaitMillis,
            ExecutorService scoringThreads) {
        this.stream = stream;
        this.streamWaitMillis = streamWaitMillis;
        this.scoringThreads = scoringThreads;
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

    /**
     * Runs {@code scoring} on the API's scoring threads once a slot is free and the stream pauses;
     * else answers 503 at once (no slot) or after {@code recon.rest.stream-wait} (the stream kept the
     * scorer busy).
     */
    public Response admit(Supplier<Response> scoring) {
        if (!slots.tryAcquire()) {
            return busy("the scoring API is serving its limit of concurrent requests "
                    + "(recon.rest.max-concurrent-requests); try again shortly");
        }
        try {
            if (!stream.awaitStreamIdle(streamWaitMillis)) {
                return busy("the scorer is busy with the Kafka stream, which goes first "
                        + "(recon.rest.stream-wait); try again shortly");
            }
            return scoringThreads.submit(scoring::get).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return busy("the server is shutting down");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            slots.release();
        }
    }

    @PreDestroy
    void stop() {
        scoringThreads.shutdownNow();
    }

    private static Response busy(String message) {
        return ApiErrors.response(Response.Status.SERVICE_UNAVAILABLE, "server_busy", message)
                .header("Retry-After", "1").build();
    }
}
