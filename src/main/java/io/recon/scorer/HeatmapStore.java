package io.recon.scorer;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.recon.config.ReconConfig;
import io.recon.event.RecentById;

/**
 * The heatmaps (PNG bytes) of the most recent image alerts, by event id, for
 * {@code GET /alerts/{id}/heatmap.png}. Bounded both in count ({@code recon.imaging.heatmap-capacity})
 * and in bytes ({@code recon.imaging.heatmap-max-bytes}), oldest dropped first; in memory only:
 * after a restart, or for older alerts, the heatmap is in the alert itself ({@code heatmapPng}).
 */
@ApplicationScoped
public class HeatmapStore {

    private final RecentById recent;

    @Inject
    HeatmapStore(ReconConfig config) {
        this.recent = new RecentById(config.imaging().heatmapCapacity(), config.imaging().heatmapMaxBytes());
    }

    /** Keeps the heatmap of an alert (replacing an earlier one of the same id). */
    public void put(String eventId, byte[] png) {
        recent.put(eventId, png);
    }

    /** The heatmap of a recent alert. */
    public Optional<byte[]> get(String eventId) {
        return recent.get(eventId);
    }
}
