package io.recon.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PersistentWritesTest {

    private final PersistentWrites writes = new PersistentWrites();

    @AfterEach
    void close() {
        writes.close();
    }

    @Test
    void aRetriableFailureIsTriedAgainUntilItGoesThroughAndReadinessSaysSoMeanwhile() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> done = writes.write("a verdict", () -> attempts.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new TimeoutException("broker unreachable"))
                : CompletableFuture.completedFuture(null));
        Thread.sleep(100);
        assertTrue(writes.stalled().isPresent(), "readiness reports the waiting write");
        assertTrue(writes.stalled().get().lastError().contains("broker unreachable"));
        done.get(10, TimeUnit.SECONDS);
        assertEquals(3, attempts.get());
        assertTrue(writes.stalled().isEmpty(), "ready again once the write went through");
    }

    @Test
    void aPermanentFailureEndsAtOnceSoTheCallerCanDeadLetter() {
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> done = writes.write("a verdict", () -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new RecordTooLargeException("too large"));
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(5, TimeUnit.SECONDS));
        assertInstanceOf(RecordTooLargeException.class, e.getCause());
        assertEquals(1, attempts.get());
        assertTrue(writes.stalled().isEmpty());
    }
}
