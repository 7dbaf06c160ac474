package io.recon.scorer;

import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;


/**
 * The one entry point for scoring telemetry, used by the Kafka consumer and the REST API
 * alike: takes the current model, scores a batch and records the metrics.
 */
@ApplicationScoped
public class TelemetryScoringService {

    private final ModelRegistry models;
    private final ScoringMetrics metrics;
    private final DriftMonitor drift;

    @Inject
    TelemetryScoringService(ModelRegistry models, ScoringMetrics metrics, DriftMonitor drift) {
        this.models = models;
        this.metrics = metrics;
        this.drift = drift;
    }

    /** Decodes and scores raw event payloads (the Kafka stream and the REST API alike). */
    public List<Outcome> scorePayloads(List<byte[]> payloads) {
        return timed(payloads.size(), scorer -> scorer.scorePayloads(payloads));
    }

    private List<Outcome> timed(int size, Function<TelemetryScorer, List<Outcome>> work) {
        TelemetryScorer scorer = models.telemetry();
        List<Outcome> outcomes = metrics.timed(TelemetryScorer.STREAM, size, scorer.bundle().manifest().name(),
                () -> work.apply(scorer));
        drift.observe(DriftReference.of(scorer.bundle()), outcomes);
        return outcomes;
    }
}
