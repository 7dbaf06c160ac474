package io.recon.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import io.recon.scorer.StreamFirst;

class ScoringAdmissionTest {

    @Test
    void aRequestOverTheLimitIsTurnedAwayAtOnceAndTheSlotComesBack() throws Exception {
        ScoringAdmission admission = new ScoringAdmission(1, 1000, 20, 1000, System::nanoTime, new StreamFirst(),
                1000, Executors.newCachedThreadPool());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> admission.admit(() -> {
            started.countDown();
            await(release);
            return Response.ok().build();
        }));
        assertEquals(true, started.await(5, TimeUnit.SECONDS));
        Response busy = admission.admit(() -> Response.ok().build());
        assertEquals(503, busy.getStatus());
        assertEquals("1", busy.getHeaderString("Retry-After"));
        assertEquals("server_busy", ((Map<?, ?>) busy.getEntity()).get("reason"));
        release.countDown();
        assertEquals(200, first.get(5, TimeUnit.SECONDS).getStatus());
        assertEquals(200, admission.admit(() -> Response.ok().build()).getStatus());
    }

    @Test
    void eventsOverTheRateAreTurnedAwayUntilTheBucketRefills() {
        long[] now = {0};
        ScoringAdmission admission = new ScoringAdmission(4, 100, 2, 250, () -> now[0], new StreamFirst(), 1000,
                Executors.newCachedThreadPool());
        // The bucket holds one full request (250 events), then refills at 100 a second.
        assertEquals(null, admission.chargeEvents(250));
        Response limited = admission.chargeEvents(50);
        assertEquals(429, limited.getStatus());
        assertEquals("rate_limited", ((Map<?, ?>) limited.getEntity()).get("reason"));
        assertEquals("1", limited.getHeaderString("Retry-After"));
        now[0] += 400_000_000L; // 0.4 s: 40 events back
        assertEquals(429, admission.chargeEvents(50).getStatus());
        now[0] += 100_000_000L; // 0.5 s in all: 50 back
        assertEquals(null, admission.chargeEvents(50));
        assertEquals(null, admission.chargeImage());
        assertEquals(null, admission.chargeImage());
        assertEquals(429, admission.chargeImage().getStatus());
    }

    @Test
    void aRequestWaitsWhileTheStreamScoresAndIsTurnedAwayIfTheStreamNeverPauses() throws Exception {
        StreamFirst stream = new StreamFirst();
        ScoringAdmission admission = new ScoringAdmission(2, 1000, 20, 1000, System::nanoTime, stream, 300,
                Executors.newCachedThreadPool());
        CountDownLatch batchStarted = new CountDownLatch(1);
        CountDownLatch batchDone = new CountDownLatch(1);
        long[] requestScoredAt = {0};
        long[] batchEndedAt = {0};
        CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> stream.streamBatch(() -> {
            batchStarted.countDown();
            await(batchDone);
            batchEndedAt[0] = System.nanoTime();
            return null;
        }));
        assertEquals(true, batchStarted.await(5, TimeUnit.SECONDS));
        // While the batch runs, a request neither starts nor fails: it waits for the batch to end.
        CompletableFuture<Response> request = CompletableFuture.supplyAsync(() -> admission.admit(() -> {
            requestScoredAt[0] = System.nanoTime();
            return Response.ok().build();
        }));
        Thread.sleep(100);
        assertEquals(false, request.isDone());
        batchDone.countDown();
        batch.get(5, TimeUnit.SECONDS);
        assertEquals(200, request.get(5, TimeUnit.SECONDS).getStatus());
        assertEquals(true, requestScoredAt[0] >= batchEndedAt[0]);

        // A stream that stays busy past the wait gets the scorer; the request answers 503.
        CountDownLatch longBatchDone = new CountDownLatch(1);
        CountDownLatch longBatchStarted = new CountDownLatch(1);
        CompletableFuture<Void> longBatch = CompletableFuture.runAsync(() -> stream.streamBatch(() -> {
            longBatchStarted.countDown();
            await(longBatchDone);
            return null;
        }));
        assertEquals(true, longBatchStarted.await(5, TimeUnit.SECONDS));
        Response busy = admission.admit(() -> Response.ok().build());
        assertEquals(503, busy.getStatus());
        assertEquals("server_busy", ((Map<?, ?>) busy.getEntity()).get("reason"));
        longBatchDone.countDown();
        longBatch.get(5, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
