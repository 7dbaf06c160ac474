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
 * Consumes {@code imaging.events} (JSON envelopes with a PNG, DICOM, raw or NIfTI image, see
 * {@link io.recon.event.ImageEventDecoder}) in the batches Kafka's poll returns and scores
 * each batch in one model pass: verdicts to {@code recon.verdicts}, alerts with their heatmap to
 * {@code recon.alerts}, bad images to {@code imaging.events.dlq}, acknowledged as
 * {@link BatchScoring} describes.
 */
@ApplicationScoped
public class ImagingEventsConsumer {

    @Inject
    ImagingScoringService scoring;

    @Inject
    BatchScoring batches;

    @Inject
    ReconConfig config;

    /** One poll's records; runs on a worker thread, in order, per partition consumer. */
    @Incoming(Topics.IMAGING_EVENTS)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return batches.process(batch, ImageScorer.STREAM, config.topics().imagingDlq(), scoring::scorePayloads);
    }
}
