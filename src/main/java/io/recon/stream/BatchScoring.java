package io.recon.stream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.recon.event.InvalidEventException;
import io.recon.scoring.Outcome;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

/**
 * What every input stream's consumer does with one poll's batch: score it in one model pass and
 * hand the outcomes to the producer. Writing is pipelined: this returns once the outcomes are
 * handed over, and the batch is acknowledged (so its offsets can be committed) only when the
 * broker has confirmed every one of them. The next batch is scored meanwhile, so the produce
 * round trip is not paid per batch. A write that fails for good nacks the batch: the channel
 * stops, readiness and liveness go down, nothing past it is committed (at-least-once). Nothing a
 * producer sends can make this throw: bad records go to the dead-letter topic.
 */
@ApplicationScoped
public class BatchScoring {

    private static final Logger LOG = Logger.getLogger(BatchScoring.class);

    @Inject
    OutcomePublisher publisher;

    /**
     * Scores and publishes one batch.
     *
     * @param batch    the poll's records
     * @param stream   stream tag ({@code telemetry}, {@code imaging})
     * @param dlqTopic where rejected records go
     * @param scoring  payloads to outcomes, same order
     * @return completed once the writes are handed to the producer
     */
    public CompletionStage<Void> process(KafkaRecordBatch<String, byte[]> batch, String stream, String dlqTopic,
            Function<List<byte[]>, List<Outcome>> scoring) {
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
            outcomes = scoring.apply(payloads);
        } catch (RuntimeException e) {
            // The model itself failed (not the input): keep every event, with the cause, rather
            // than stop the stream or drop the batch. The DLQ can be replayed once fixed.
            LOG.errorf(e, "Scoring a batch of %d %s events failed; sending it to the dead-letter topic",
                    records.size(), stream);
            InvalidEventException reason = new InvalidEventException("scoring_failed",
                    "the model could not score this batch: " + e);
            outcomes = Collections.nCopies(records.size(), Outcome.rejected(reason));
        }
        CompletableFuture<Void> written = publisher.publish(stream, dlqTopic, records, outcomes);
        written.whenComplete((ok, failure) -> {
            if (failure == null) {
                batch.ack();
            } else {
                LOG.errorf(failure, "Writing the outcomes of %d %s events failed; stopping before committing them",
                        records.size(), stream);
                batch.nack(failure);
            }
        });
        return CompletableFuture.completedFuture(null);
    }
}
