package io.recon.event;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The most recent byte payloads (heatmaps, explanations) kept by event id, bounded both in count
 * and in bytes, oldest dropped first, so that senders cannot grow it with large ids or payloads. In
 * memory only: what falls out, or what was kept before a restart, is in Kafka.
 */
public final class RecentById {

    /** What one entry costs besides its bytes: map entry, array and string headers. */
    static final int ENTRY_OVERHEAD_BYTES = 96;

    private final int capacity;
    private final long maxBytes;
    private final LinkedHashMap<String, byte[]> recent = new LinkedHashMap<>();
    private long bytes;

    /** At most {@code capacity} entries and {@code maxBytes} bytes (each at least 1). */
    public RecentById(int capacity, long maxBytes) {
        this.capacity = Math.max(1, capacity);
        this.maxBytes = Math.max(1, maxBytes);
    }

    /**
     * Keeps {@code value} under {@code eventId} (replacing an earlier one); one larger than the whole
     * budget is not kept.
     */
    public synchronized void put(String eventId, byte[] value) {
        remove(eventId);
        long cost = cost(eventId, value);
        if (cost > maxBytes) {
            return;
        }
        recent.put(eventId, value);
        bytes += cost;
        Iterator<Map.Entry<String, byte[]>> eldest = recent.entrySet().iterator();
        while (recent.size() > capacity || bytes > maxBytes) {
            Map.Entry<String, byte[]> e = eldest.next();
            bytes -= cost(e.getKey(), e.getValue());
            eldest.remove();
        }
    }

    /** The payload kept under {@code eventId}. */
    public synchronized Optional<byte[]> get(String eventId) {
        return Optional.ofNullable(recent.get(eventId));
    }

    /** Entries held now. */
    public synchronized int size() {
        return recent.size();
    }

    /** Bytes they hold, as counted against the budget. */
    public synchronized long bytes() {
        return bytes;
    }

    private void remove(String eventId) {
        byte[] old = recent.remove(eventId);
        if (old != null) {
            bytes -= cost(eventId, old);
        }
    }

    private static long cost(String eventId, byte[] value) {
        return ENTRY_OVERHEAD_BYTES + 2L * eventId.length() + value.length;
    }
}
