package io.recon.scorer;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.recon.config.ReconConfig;

/**
 * The heatmaps (PNG bytes) of the most recent image alerts, by event id, for
 * {@code GET /alerts/{id}/heatmap.png}. Bounded both in count ({@code recon.imaging.heatmap-capacity})
 * and in bytes ({@code recon.imaging.heatmap-max-bytes}), oldest dropped first, so that senders
 * cannot grow it with large ids or images; in memory only: after a restart, or for older alerts,
 * the heatmap is in the alert itself ({@code heatmapPng}).
 */
@ApplicationScoped
public class HeatmapStore {

    /** What one entry costs besides its bytes: map entry, array and string headers. */
    static final int ENTRY_OVERHEAD_BYTES = 96;

    private final int capacity;
    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> recent = new LinkedHashMap<>();
    private long bytes;

    @Inject
    HeatmapStore(ReconConfig config) {
        this(config.imaging().heatmapCapacity(), config.imaging().heatmapMaxBytes());
    }

    HeatmapStore(int capacity, long maxBytes) {
        this.capacity = Math.max(1, capacity);
        this.maxBytes = Math.max(1, maxBytes);
    }

    /**
     * Keeps the heatmap of an alert (replacing an earlier one of the same id); one larger than the
     * whole budget is not kept (its alert still carries it).
     */
    public synchronized void put(String eventId, byte[] png) {
        remove(eventId);
        long cost = cost(eventId, png);
        if (cost > maxBytes) {
            return;
        }
        recent.put(eventId, png);
        bytes += cost;
        Iterator<Map.Entry<String, byte[]>> eldest = recent.entrySet().iterator();
        while (recent.size() > capacity || bytes > maxBytes) {
            Map.Entry<String, byte[]> e = eldest.next();
            bytes -= cost(e.getKey(), e.getValue());
            eldest.remove();
        }
    }

    /** The heatmap of a recent alert. */
    public synchronized Optional<byte[]> get(String eventId) {
        return Optional.ofNullable(recent.get(eventId));
    }

    /** Heatmaps held now. */
    synchronized int size() {
        return recent.size();
    }

    /** Bytes they hold, as counted against the budget. */
    synchronized long bytes() {
        return bytes;
    }

    private void remove(String eventId) {
        byte[] old = recent.remove(eventId);
        if (old != null) {
            bytes -= cost(eventId, old);
        }
    }

    private static long cost(String eventId, byte[] png) {
        return ENTRY_OVERHEAD_BYTES + 2L * eventId.length() + png.length;
    }
}
