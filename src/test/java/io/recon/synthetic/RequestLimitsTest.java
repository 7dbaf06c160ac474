package io.recon.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The admission rules of synthetic-data requests. */
class RequestLimitsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void countAndRateMustBeWithinTheLimits() {
        RequestLimits limits = new RequestLimits(1000, 200, 50, 2, 10);
        assertEquals(10, limits.count(new SyntheticRequest(10, "a", null, null, null)));
        assertEquals(50, limits.rate(new SyntheticRequest(10, "a", null, null, null)));
        assertEquals(200, limits.rate(new SyntheticRequest(10, "a", null, 200, null)));
        assertEquals("count_missing", assertThrows(RequestRefusedException.class,
                () -> limits.count(new SyntheticRequest(null, "a", null, null, null))).reason());
        RequestRefusedException big = assertThrows(RequestRefusedException.class,
                () -> limits.count(new SyntheticRequest(1001, "a", null, null, null)));
        assertEquals(400, big.status());
        assertTrue(big.getMessage().contains("recon.synthetic.max-count"), big.getMessage());
        assertEquals("rate_out_of_range", assertThrows(RequestRefusedException.class,
                () -> limits.rate(new SyntheticRequest(1, "a", null, 201, null))).reason());
        assertEquals("count_out_of_range", assertThrows(RequestRefusedException.class,
                () -> limits.count(new SyntheticRequest(0, "a", null, null, null))).reason());
    }

    @Test
    void activeRequestsAreCappedUntilOneEnds() {
        RequestLimits limits = new RequestLimits(1000, 200, 50, 2, 10);
        limits.admit(0);
        limits.admit(SECOND);
        RequestRefusedException e = assertThrows(RequestRefusedException.class, () -> limits.admit(2 * SECOND));
        assertEquals(429, e.status());
        assertEquals("too_many_active_requests", e.reason());
        limits.release();
        limits.admit(3 * SECOND);
    }

    @Test
    void theMinutesBudgetRefillsAsAcceptedRequestsAge() {
        RequestLimits limits = new RequestLimits(1000, 200, 50, 100, 3);
        for (int i = 0; i < 3; i++) {
            limits.admit(i * SECOND);
            limits.release();
        }
        RequestRefusedException e = assertThrows(RequestRefusedException.class, () -> limits.admit(10 * SECOND));
        assertEquals("too_many_requests", e.reason());
        assertEquals(51, e.retryAfterSeconds(), "the oldest of the three ages out at 60 s");
        limits.admit(60 * SECOND);
    }
}
