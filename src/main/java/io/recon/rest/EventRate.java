package io.recon.rest;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code perSecond} tokens a second, holding at most {@code burst}. Taking more
 * than are there takes none and says how many milliseconds until there will be enough.
 */
final class EventRate {

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long updated;

    EventRate(int perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive, got " + perSecond + " and " + burst);
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.updated = nanoTime.getAsLong();
    }

    /**
     * Takes {@code n} tokens if there are that many.
     *
     * @return empty when taken, else the milliseconds to wait (forever, as Long.MAX_VALUE, for more
     *         than the bucket holds)
     */
    synchronized OptionalLong take(int n) {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - updated) * perNano);
        updated = now;
        if (n <= tokens) {
            tokens -= n;
            return OptionalLong.empty();
        }
        if (n > burst) {
            return OptionalLong.of(Long.MAX_VALUE);
        }
        return OptionalLong.of((long) Math.ceil((n - tokens) / perNano / 1e6));
    }
}
