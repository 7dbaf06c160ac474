package io.recon.stream;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.recon.event.InvalidEventException;
import io.recon.scoring.Outcome;
import io.recon.service.TelemetryScoringService;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code telemetry.events} in the batches Kafka's poll returns, scores each batch in
 * one model pass and writes every outcome before returning; the connector then acknowledges
 * the batch and commits its offsets (at-least-once: nothing is committed that was not written).
 * Nothing a producer sends can make this method throw: bad records go to the dead-letter topic.
 */
@ApplicationScoped
public class TelemetryEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TelemetryEventsConsumer.class);

    @Inject
    TelemetryScoringService scoring;

    @Inject
    OutcomePublisher publisher;

    /** One poll's records; runs on a worker thread, in order, per partition consumer. */
    @Incoming(Topics.TELEMETRY_EVENTS)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> batch) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(batch.count());
        List<byte[]> payloads = new ArrayList<>(batch.count());
        for (ConsumerRecord<String, byte[]> record : batch) {
            records.add(record);
            payloads.add(record.value());
        }
        if (records.isEmpty()) {
            return;
        }
        List<Outcome> outcomes;
        try {
            outcomes = scoring.scorePayloads(payloads);
        } catch (RuntimeException e) {
            // The model itself failed (not the input): keep every event, with the cause, rather
            // than stop the stream or drop the batch. The DLQ can be replayed once fixed.
            LOG.errorf(e, "Scoring a batch of %d events failed; sending it to the dead-letter topic", records.size());
            InvalidEventException reason = new InvalidEventException("scoring_failed",
                    "the model could not score this batch: " + e);
            outcomes = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                outcomes.add(Outcome.rejected(reason));
            }
        }
        publisher.publishAndAwait(records, outcomes);
    }
}
