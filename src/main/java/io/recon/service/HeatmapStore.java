package io.recon.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.recon.config.ReconConfig;

/**
 * The heatmaps (PNG bytes) of the most recent image alerts, by event id, for
 * {@code GET /alerts/{id}/heatmap.png}. Bounded ({@code recon.imaging.heatmap-capacity}, oldest
 * dropped first) and in memory only: after a restart, or for older alerts, the heatmap is in the
 * alert itself ({@code heatmapPng}).
 */
@ApplicationScoped
public class HeatmapStore {

    private final Map<String, byte[]> recent;

    @Inject
    HeatmapStore(ReconConfig config) {
        int capacity = Math.max(1, config.imaging().heatmapCapacity());
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Keeps the heatmap of an alert (replacing an earlier one of the same id). */
    public synchronized void put(String eventId, byte[] png) {
        recent.remove(eventId);
        recent.put(eventId, png);
    }

    /** The heatmap of a recent alert. */
    public synchronized Optional<byte[]> get(String eventId) {
        return Optional.ofNullable(recent.get(eventId));
    }
}
