package io.recon.scorer;

import io.recon.kafka.DeadLetterRecords;
import io.recon.kafka.OutcomeProducer;
import io.recon.kafka.PersistentWrites;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.config.ReconConfig;
import io.recon.config.VerdictMode;
import io.recon.event.CompactVerdict;
import io.recon.event.InvalidEventException;
import io.recon.event.Verdict;

/**
 * Writes the outcome of each consumed record: its verdict to {@code recon.verdicts}, an alert to
 * {@code recon.alerts} when it is one, or the original bytes with the reason to the dead-letter
 * topic. The returned future completes when Kafka has acknowledged every write of the batch,
 * so the caller knows when it may commit. Writes that fail are retried ({@link PersistentWrites});
 * a verdict Kafka refuses for good sends its record to the dead-letter topic instead.
 */
@ApplicationScoped
public class OutcomePublisher {

    @Inject
    OutcomeProducer producer;

    @Inject
    ObjectMapper mapper;

    @Inject
    ScoringMetrics metrics;

    @Inject
    ReconConfig config;

    @Inject
    PersistentWrites writes;

    private DeadLetterRecords deadLetters;

    /** Room under the producer's request limit for a dead letter's key, headers and framing. */
    static final int DEAD_LETTER_OVERHEAD = 16 * 1024;

    @PostConstruct
    void init() {
        int copy = config.deadLetter().maxCopyBytes();
        if (copy + DEAD_LETTER_OVERHEAD > producer.maxRequestSize()) {
            throw new IllegalStateException("recon.dead-letter.max-copy-bytes=" + copy + " leaves no room under the "
                    + "producer's max.request.size=" + producer.maxRequestSize() + " for a dead letter's key and "
                    + "headers; keep it at most " + (producer.maxRequestSize() - DEAD_LETTER_OVERHEAD));
        }
        deadLetters = new DeadLetterRecords(copy);
    }

    /**
     * Publishes one outcome per record (same order); completes when all are written.
     *
     * @param stream   stream tag of the metrics ({@code telemetry}, {@code imaging})
     * @param dlqTopic where rejected records go
     * @param records  the consumed records
     * @param outcomes their outcomes
     */
    public CompletableFuture<Void> publish(String stream, String dlqTopic, List<ConsumerRecord<String, byte[]>> records,
            List<Outcome> outcomes) {
        List<CompletableFuture<Void>> writes = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            writes.add(write(stream, dlqTopic, records.get(i), outcomes.get(i)));
        }
        long[] timestamps = new long[records.size()];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = records.get(i).timestamp();
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .thenRun(() -> metrics.eventLatencies(stream, System.currentTimeMillis(), timestamps));
    }

    /**
     * Writes one record's outcome. A verdict that cannot be written for good (a write Kafka will
     * never take) sends the record to the dead-letter topic as {@code publish_failed} instead.
     */
    private CompletableFuture<Void> write(String stream, String dlqTopic, ConsumerRecord<String, byte[]> record,
            Outcome outcome) {
        if (outcome.isRejected()) {
            return deadLetter(stream, dlqTopic, record, outcome.rejection());
        }
        Verdict verdict = outcome.verdict();
        if (verdict.alert()) {
            metrics.alert(verdict.stream(), verdict.model(), verdict.severity());
        }
        return writes.write("the verdict of event " + verdict.eventId(), () -> verdictWrites(verdict))
                .exceptionallyCompose(failure -> deadLetter(stream, dlqTopic, record,
                        new InvalidEventException("publish_failed", "its verdict could not be written ("
                                + failure.getClass().getSimpleName() + ": " + failure.getMessage() + ")")));
    }

    /** Sends a record to the dead-letter topic with the reason, for as long as the failures are retriable. */
    CompletableFuture<Void> deadLetter(String stream, String dlqTopic, ConsumerRecord<String, byte[]> record,
            InvalidEventException reason) {
        metrics.deadLettered(stream, reason.reason());
        ProducerRecord<String, byte[]> letter = deadLetters.of(dlqTopic, record, reason);
        return writes.write("a dead letter to " + dlqTopic, () -> producer.send(letter));
    }

    private CompletableFuture<?> verdictWrites(Verdict verdict) {
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>(2);
        VerdictMode mode = config.scoring().verdictMode();
        // Serialised straight from the record (no JSON tree), and only where it is written.
        byte[] full = verdict.alert() || mode == VerdictMode.FULL ? toJson(verdict) : null;
        if (mode != VerdictMode.ALERTS_ONLY) {
            byte[] json = mode == VerdictMode.FULL ? full : toJson(CompactVerdict.of(verdict));
            sent.add(producer.send(new ProducerRecord<>(config.topics().verdicts(), verdict.eventId(), json)));
        }
        if (verdict.alert()) {
            sent.add(producer.send(new ProducerRecord<>(config.topics().alerts(), verdict.eventId(), full)));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private byte[] toJson(Object verdict) {
        try {
            return mapper.writeValueAsBytes(verdict);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A verdict must always serialise", e);
        }
    }

}
