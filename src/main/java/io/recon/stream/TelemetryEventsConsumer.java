package io.recon.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.recon.event.InvalidEventException;
import io.recon.scoring.Outcome;
import io.recon.service.TelemetryScoringService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

/**
 * Consumes {@code telemetry.events} in the batches Kafka's poll returns and scores each batch
 * in one model pass. Writing is pipelined: the method returns once a batch's outcomes are
 * handed to the producer, and the batch is acknowledged (so its offsets can be committed) only
 * when the broker has confirmed every one of them. The next batch is scored meanwhile, so the
 * produce round trip is not paid per batch. A write that fails for good nacks the batch: the
 * channel stops, readiness and liveness go down, nothing past it is committed (at-least-once).
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
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .ifPresent(m -> ((IncomingKafkaRecordBatchMetadata<String, byte[]>) m).getRecords().forEach(records::add));
        if (records.isEmpty()) {
            return batch.ack();
        }
        List<byte[]> payloads = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            payloads.add(record.value());
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
        CompletableFuture<Void> written = publisher.publish(records, outcomes);
        written.whenComplete((ok, failure) -> {
            if (failure == null) {
                batch.ack();
            } else {
                LOG.errorf(failure, "Writing the outcomes of %d events failed; stopping before committing them",
                        records.size());
                batch.nack(failure);
            }
        });
        return CompletableFuture.completedFuture(null);
    }
}
