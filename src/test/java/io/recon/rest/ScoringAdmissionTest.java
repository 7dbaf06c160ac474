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
        ScoringAdmission admission = new ScoringAdmission(1);
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

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
