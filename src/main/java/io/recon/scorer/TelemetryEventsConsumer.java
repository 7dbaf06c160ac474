package io.recon.scorer;

import io.recon.kafka.Topics;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.recon.config.ReconConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * Consumes {@code telemetry.events} in the batches Kafka's poll returns and scores each batch
 * in one model pass; outcomes are written and the batch acknowledged as {@link BatchScoring}
 * describes (pipelined, acknowledged only once every write is confirmed).
 */
@ApplicationScoped
public class TelemetryEventsConsumer {

    @Inject
    TelemetryScoringService scoring;

    @Inject
    BatchScoring batches;

    @Inject
    ReconConfig config;

    /** One poll's records; runs on a worker thread, in order, per partition consumer. */
    @Incoming(Topics.TELEMETRY_EVENTS)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return batches.process(batch, TelemetryScorer.STREAM, config.topics().telemetryDlq(), scoring::scorePayloads);
    }
}
