package io.recon.scorer;

import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;


import io.recon.event.Verdict;

/**
 * The one entry point for scoring images, used by the Kafka consumer and the REST API alike:
 * routes each event to its image model, scores each model's share of the batch, records the metrics and keeps the alerts'
 * heatmaps for {@code GET /alerts/{id}/heatmap.png}.
 */
@ApplicationScoped
public class ImagingScoringService {

    private final ModelRegistry models;
    private final ScoringMetrics metrics;
    private final HeatmapStore heatmaps;
    private final DriftMonitor drift;

    @Inject
    ImagingScoringService(ModelRegistry models, ScoringMetrics metrics, HeatmapStore heatmaps, DriftMonitor drift) {
        this.models = models;
        this.metrics = metrics;
        this.heatmaps = heatmaps;
        this.drift = drift;
    }

    /** Decodes and scores raw event payloads (the Kafka stream and the REST API alike). */
    public List<Outcome> scorePayloads(List<byte[]> payloads) {
        return score(models.imaging().assign(payloads));
    }

    private List<Outcome> score(List<ImageModelRouter.Assignment> assignments) {
        metrics.received(ImageScorer.STREAM, assignments.size());
        metrics.batchSize(ImageScorer.STREAM, assignments.size());
        List<Outcome> outcomes = ImageModelRouter.score(assignments, (scorer, events) -> metrics.scoredBy(
                ImageScorer.STREAM, scorer.bundle().manifest().name(),
                () -> observed(scorer, scorer.scoreEvents(events))));
        for (Outcome o : outcomes) {
            Verdict v = o.verdict();
            if (v != null && v.heatmapPng() != null) {
                heatmaps.put(v.eventId(), Base64.getDecoder().decode(v.heatmapPng()));
            }
        }
        return outcomes;
    }

    private List<Outcome> observed(ImageScorer scorer, List<Outcome> outcomes) {
        drift.observe(DriftReference.of(scorer.bundle()), outcomes);
        return outcomes;
    }
}
