package io.recon.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class ScoringAdmissionTest {

    @Test
    void aRequestOverTheLimitIsTurnedAwayAtOnceAndTheSlotComesBack() throws Exception {
        ScoringAdmission admission = new ScoringAdmission(1, 1000, 20, 1000, System::nanoTime);
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
        ScoringAdmission admission = new ScoringAdmission(4, 100, 2, 250, () -> now[0]);
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

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
