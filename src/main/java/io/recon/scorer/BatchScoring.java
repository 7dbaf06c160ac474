package io.recon.scorer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.recon.event.InvalidEventException;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

/**
 * What every input stream's consumer does with one poll's batch: score it in one model pass and
 * hand the outcomes to the producer. Writing is pipelined: this returns once the outcomes are
 * handed over, and the batch is acknowledged (so its offsets can be committed) only when the
 * broker has confirmed every one of them. The next batch is scored meanwhile, so the produce
 * round trip is not paid per batch. Writes Kafka may yet take are retried until they go through
 * (readiness is down meanwhile); a verdict it refuses for good sends its record to the dead-letter
 * topic. Only a dead letter refused for good nacks the batch, stopping the channel before anything
 * past it is committed (at-least-once). Nothing a producer sends can make this throw: bad records,
 * and records the model fails on, go to the dead-letter topic one by one.
 */
@ApplicationScoped
public class BatchScoring {

    private static final Logger LOG = Logger.getLogger(BatchScoring.class);

    @Inject
    OutcomePublisher publisher;

    @Inject
    StreamFirst streamFirst;

    /**
     * Scores the batch in one pass; if the pass fails, scores each record alone, so a record that
     * breaks the model costs only itself: it goes to the dead-letter topic as {@code scoring_failed}
     * and its neighbours are scored (an attack cannot hide behind one poison record).
     */
    static List<Outcome> scoreIsolated(List<byte[]> payloads, String stream,
            Function<List<byte[]>, List<Outcome>> scoring) {
        try {
            return scoring.apply(payloads);
        } catch (RuntimeException e) {
            if (payloads.size() == 1) {
                return List.of(scoringFailed(e, stream));
            }
            LOG.warnf("Scoring a batch of %d %s events failed (%s); scoring them one by one", payloads.size(),
                    stream, e.toString());
        }
        List<Outcome> outcomes = new ArrayList<>(payloads.size());
        for (byte[] payload : payloads) {
            try {
                outcomes.add(scoring.apply(List.of(payload)).get(0));
            } catch (RuntimeException e) {
                outcomes.add(scoringFailed(e, stream));
            }
        }
        return outcomes;
    }

    private static Outcome scoringFailed(RuntimeException e, String stream) {
        // The model failed on this record (not a rejection of its content): keep it, with the cause,
        // rather than stop the stream. The dead-letter topic can be replayed once fixed.
        LOG.errorf(e, "Scoring a %s event failed; sending it to the dead-letter topic", stream);
        return Outcome.rejected(new InvalidEventException("scoring_failed", "the model could not score this event ("
                + e.getClass().getSimpleName() + "); the failure is logged"));
    }

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
        List<Outcome> outcomes = streamFirst.streamBatch(() -> scoreIsolated(payloads, stream, scoring));
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
