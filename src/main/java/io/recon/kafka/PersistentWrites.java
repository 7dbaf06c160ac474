package io.recon.kafka;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Outcome writes that do not give up while giving up would lose a record. A write that fails
 * with an error Kafka calls retriable (the broker unreachable past the producer's delivery
 * timeout, a leader moving) is tried again with a growing pause, for as long as it takes; while
 * any write waits, {@link #stalled()} says so and readiness goes DOWN. A write that fails for good
 * (the record too large, the topic not allowed) completes exceptionally at once, so the caller can
 * dead-letter the record instead. The consumer is never stopped by either.
 */
@ApplicationScoped
public class PersistentWrites {

    private static final Logger LOG = Logger.getLogger(PersistentWrites.class);
    static final long FIRST_PAUSE_MS = 500;
    static final long LONGEST_PAUSE_MS = 30_000;

    /** The state readiness reports while writes wait: since when, how many, the last error. */
    public record Stall(Instant since, int waiting, String lastError) {
    }

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recon-outcome-retries");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicReference<Instant> stalledSince = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private volatile boolean closed;

    /** Runs {@code attempt} until it succeeds or fails with a non-retriable error. */
    public CompletableFuture<Void> write(String what, Supplier<CompletableFuture<?>> attempt) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(what, attempt, done, 0);
        return done;
    }

    /** Empty while every write goes through; else since when writes have been waiting. */
    public Optional<Stall> stalled() {
        Instant since = stalledSince.get();
        return since == null ? Optional.empty() : Optional.of(new Stall(since, waiting.get(), lastError.get()));
    }

    private void run(String what, Supplier<CompletableFuture<?>> attempt, CompletableFuture<Void> done,
            int failures) {
        CompletableFuture<?> tried;
        try {
            tried = attempt.get();
        } catch (RuntimeException e) {
            tried = CompletableFuture.failedFuture(e);
        }
        tried.whenComplete((ok, error) -> {
            Throwable cause = unwrap(error);
            if (cause == null) {
                if (failures > 0 && waiting.decrementAndGet() == 0) {
                    stalledSince.set(null);
                    LOG.infof("Outcome writes go through again");
                }
                done.complete(null);
            } else if (!(cause instanceof RetriableException) || closed) {
                if (failures > 0 && waiting.decrementAndGet() == 0) {
                    stalledSince.set(null);
                }
                done.completeExceptionally(cause);
            } else {
                if (failures == 0) {
                    waiting.incrementAndGet();
                    stalledSince.compareAndSet(null, Instant.now());
                }
                lastError.set(cause.getClass().getSimpleName() + ": " + cause.getMessage());
                long pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS << Math.min(failures, 16));
                LOG.warnf("Writing %s failed (%s); trying again in %d ms", what, cause, pause);
                retries.schedule(() -> run(what, attempt, done, failures + 1), pause, TimeUnit.MILLISECONDS);
            }
        });
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @PreDestroy
    void close() {
        closed = true;
        retries.shutdownNow();
    }
}
