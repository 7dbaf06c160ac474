package io.recon.scorer;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives the Kafka stream first call on the CPU that it shares with the scoring API. Stream
 * batches are never held back; an API request starts only at a moment when no stream batch is
 * being scored, and waits for one (bounded) otherwise. A rate limit alone cannot do this on a
 * small machine: with 16 API clients inside their limit, the stream's p99 latency at 2,000
 * events/s rose 7.7 times, because every API request ran alongside the stream's batches.
 */
@ApplicationScoped
public class StreamFirst {

    private int streamBatches; // guarded by this

    /** Runs one stream batch's scoring, marking the stream busy meanwhile. */
    public <T> T streamBatch(Supplier<T> scoring) {
        synchronized (this) {
            streamBatches++;
        }
        try {
            return scoring.get();
        } finally {
            synchronized (this) {
                if (--streamBatches == 0) {
                    notifyAll();
                }
            }
        }
    }

    /**
     * Waits until no stream batch is being scored.
     *
     * @return whether that happened within {@code timeoutMillis}
     */
    public synchronized boolean awaitStreamIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (streamBatches > 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
