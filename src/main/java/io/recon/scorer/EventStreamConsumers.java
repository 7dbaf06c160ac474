package io.recon.scorer;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.recon.config.ReconConfig;
import io.recon.kafka.Topics;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The scorer's two Kafka inputs, consumed in the batches Kafka's poll returns, each batch scored
 * in one model pass; outcomes are written and the batch acknowledged as {@link BatchScoring}
 * describes (pipelined, acknowledged only once every write is confirmed). Each method runs on a
 * worker thread, in order, per partition consumer.
 */
@ApplicationScoped
public class EventStreamConsumers {

    @Inject
    TelemetryScoringService telemetry;

    @Inject
    ImagingScoringService imaging;

    @Inject
    BatchScoring batches;

    @Inject
    ReconConfig config;

    /** {@code telemetry.events}: flow records; bad ones to {@code telemetry.events.dlq}. */
    @Incoming(Topics.TELEMETRY_EVENTS)
    @Blocking
    public CompletionStage<Void> consumeTelemetry(KafkaRecordBatch<String, byte[]> batch) {
        return batches.process(batch, TelemetryScorer.STREAM, config.topics().telemetryDlq(), telemetry::scorePayloads);
    }

    /**
     * {@code imaging.events}: JSON envelopes with a PNG, DICOM, raw or NIfTI image (see
     * {@link io.recon.event.ImageEventDecoder}); alerts carry their heatmap, bad images go to
     * {@code imaging.events.dlq}.
     */
    @Incoming(Topics.IMAGING_EVENTS)
    @Blocking
    public CompletionStage<Void> consumeImaging(KafkaRecordBatch<String, byte[]> batch) {
        return batches.process(batch, ImageScorer.STREAM, config.topics().imagingDlq(), imaging::scorePayloads);
    }
}
