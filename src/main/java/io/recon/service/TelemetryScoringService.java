package io.recon.service;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.recon.event.TelemetryEvent;
import io.recon.scoring.Outcome;
import io.recon.scoring.TelemetryScorer;

/**
 * The one entry point for scoring telemetry, used by the Kafka consumer and the REST API
 * alike: takes the current model, scores a batch and records the metrics.
 */
@ApplicationScoped
public class TelemetryScoringService {

    private final ModelRegistry models;
    private final ScoringMetrics metrics;

    @Inject
    TelemetryScoringService(ModelRegistry models, ScoringMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /** Decodes and scores raw event payloads (the stream path). */
    public List<Outcome> scorePayloads(List<byte[]> payloads) {
        return timed(payloads.size(), scorer -> scorer.scorePayloads(payloads));
    }

    /** Scores decoded events (the REST path). */
    public List<Outcome> scoreEvents(List<TelemetryEvent> events) {
        return timed(events.size(), scorer -> scorer.scoreEvents(events));
    }

    private List<Outcome> timed(int size, Function<TelemetryScorer, List<Outcome>> work) {
        String stream = TelemetryScorer.STREAM;
        metrics.received(stream, size);
        metrics.batchSize(stream, size);
        TelemetryScorer scorer = models.telemetry();
        long started = System.nanoTime();
        List<Outcome> outcomes = work.apply(scorer);
        metrics.scoringTime(stream, Duration.ofNanos(System.nanoTime() - started));
        int scored = 0;
        for (Outcome o : outcomes) {
            if (!o.isRejected()) {
                scored++;
            }
        }
        metrics.scored(stream, scorer.bundle().manifest().name(), scored);
        return outcomes;
    }
}
