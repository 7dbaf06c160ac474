package io.recon.console;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records per second from readings of counters that only grow (a topic's summed end offsets), over
 * a sliding window: the change between the oldest and the newest reading inside it, divided by the
 * time between them. A counter that went backwards (a topic deleted and made again) counts from its
 * new value.
 */
final class RateWindow {

    private record Reading(long atMs, Map<String, Long> totals) {
    }

    private final long windowMs;
    private final Deque<Reading> readings = new ArrayDeque<>();

    RateWindow(long windowMs) {
        this.windowMs = Math.max(1, windowMs);
    }

    /** Adds the counters read at {@code atMs}, dropping readings older than the window before it. */
    synchronized void add(long atMs, Map<String, Long> totals) {
        readings.addLast(new Reading(atMs, Map.copyOf(totals)));
        // Keep one reading at or beyond the window's start, so that the window is covered whole.
        while (readings.size() > 2 && second().atMs <= atMs - windowMs) {
            readings.removeFirst();
        }
    }

    private Reading second() {
        Iterator<Reading> it = readings.iterator();
        it.next();
        return it.next();
    }

    /** Each counter's rate per second over the window; 0 until two readings exist. */
    synchronized Map<String, Double> perSecond() {
        Map<String, Double> rates = new LinkedHashMap<>();
        if (readings.isEmpty()) {
            return rates;
        }
        Reading first = readings.peekFirst();
        Reading last = readings.peekLast();
        double seconds = (last.atMs - first.atMs) / 1000.0;
        last.totals.forEach((name, now) -> {
            long before = first.totals.getOrDefault(name, 0L);
            long change = now >= before ? now - before : now;
            rates.put(name, seconds > 0 ? change / seconds : 0.0);
        });
        return rates;
    }

    /** The newest reading of each counter. */
    synchronized Map<String, Long> latest() {
        return readings.isEmpty() ? Map.of() : readings.peekLast().totals;
    }
}
