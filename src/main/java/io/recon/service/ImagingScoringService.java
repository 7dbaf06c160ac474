package io.recon.service;

import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.recon.imaging.ImageEvent;
import io.recon.scoring.ImageScorer;
import io.recon.scoring.Outcome;
import io.recon.scoring.Verdict;

/**
 * The one entry point for scoring images, used by the Kafka consumer and the REST API alike:
 * takes the current image model, scores a batch, records the metrics and keeps the alerts'
 * heatmaps for {@code GET /alerts/{id}/heatmap.png}.
 */
@ApplicationScoped
public class ImagingScoringService {

    private final ModelRegistry models;
    private final ScoringMetrics metrics;
    private final HeatmapStore heatmaps;

    @Inject
    ImagingScoringService(ModelRegistry models, ScoringMetrics metrics, HeatmapStore heatmaps) {
        this.models = models;
        this.metrics = metrics;
        this.heatmaps = heatmaps;
    }

    /** The current scorer (its decoder serves the REST path). */
    public ImageScorer scorer() {
        return models.imaging();
    }

    /** Decodes and scores raw event payloads (the stream path). */
    public List<Outcome> scorePayloads(List<byte[]> payloads) {
        return timed(payloads.size(), scorer -> scorer.scorePayloads(payloads));
    }

    /** Scores decoded events (the REST path). */
    public List<Outcome> scoreEvents(List<ImageEvent> events) {
        return timed(events.size(), scorer -> scorer.scoreEvents(events));
    }

    private List<Outcome> timed(int size, Function<ImageScorer, List<Outcome>> work) {
        ImageScorer scorer = models.imaging();
        List<Outcome> outcomes = metrics.timed(ImageScorer.STREAM, size, scorer.bundle().manifest().name(),
                () -> work.apply(scorer));
        for (Outcome o : outcomes) {
            Verdict v = o.verdict();
            if (v != null && v.heatmapPng() != null) {
                heatmaps.put(v.eventId(), Base64.getDecoder().decode(v.heatmapPng()));
            }
        }
        return outcomes;
    }
}
