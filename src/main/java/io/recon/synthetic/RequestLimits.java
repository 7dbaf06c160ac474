package io.recon.synthetic;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The admission rules of synthetic-data requests: a request must be within the count and rate
 * limits, and the process takes at most so many requests a minute and publishes at most so many at
 * once. Admin keys are the first gate; this keeps a leaked or careless key from flooding the broker.
 */
final class RequestLimits {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int maxCount;
    private final int maxRate;
    private final int defaultRate;
    private final int maxActive;
    private final int perMinute;
    private final Deque<Long> accepted = new ArrayDeque<>();
    private int active;

    RequestLimits(int maxCount, int maxRate, int defaultRate, int maxActive, int perMinute) {
        this.maxCount = maxCount;
        this.maxRate = maxRate;
        this.defaultRate = Math.min(defaultRate, maxRate);
        this.maxActive = maxActive;
        this.perMinute = perMinute;
    }

    /** The request's count, checked. */
    int count(SyntheticRequest request) {
        if (request.count() == null) {
            throw RequestRefusedException.invalid("count_missing", "say how many events: \"count\" (1.." + maxCount
                    + ")");
        }
        if (request.count() < 1 || request.count() > maxCount) {
            throw RequestRefusedException.invalid("count_out_of_range", "count " + request.count()
                    + " is outside 1.." + maxCount + " (recon.synthetic.max-count)");
        }
        return request.count();
    }

    /** The request's rate, checked, or the default. */
    int rate(SyntheticRequest request) {
        if (request.rate() == null) {
            return defaultRate;
        }
        if (request.rate() < 1 || request.rate() > maxRate) {
            throw RequestRefusedException.invalid("rate_out_of_range", "rate " + request.rate()
                    + " events/s is outside 1.." + maxRate + " (recon.synthetic.max-rate)");
        }
        return request.rate();
    }

    /**
     * Takes a publishing slot, or refuses with 429 when the minute's budget or the slots are used up.
     * Every admitted request must {@link #release()} its slot when it ends.
     */
    synchronized void admit(long nowNanos) {
        while (!accepted.isEmpty() && nowNanos - accepted.peekFirst() >= MINUTE_NANOS) {
            accepted.removeFirst();
        }
        if (accepted.size() >= perMinute) {
            long wait = (MINUTE_NANOS - (nowNanos - accepted.peekFirst())) / 1_000_000_000L + 1;
            throw RequestRefusedException.tooMany("too_many_requests", perMinute + " requests were accepted in the "
                    + "last minute (recon.synthetic.max-requests-per-minute); try again in " + wait + " s", wait);
        }
        if (active >= maxActive) {
            throw RequestRefusedException.tooMany("too_many_active_requests", active + " requests are being "
                    + "published (recon.synthetic.max-active-requests); try again when one ends", 5);
        }
        accepted.addLast(nowNanos);
        active++;
    }

    /** Gives back a slot taken by {@link #admit}. */
    synchronized void release() {
        active--;
    }
}
