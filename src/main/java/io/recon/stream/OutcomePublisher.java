package io.recon.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.config.ReconConfig;
import io.recon.event.InvalidEventException;
import io.recon.scoring.Outcome;
import io.recon.scoring.Verdict;
import io.recon.service.ScoringMetrics;

/**
 * Writes the outcome of each consumed record: its verdict to {@code recon.verdicts}, an alert to
 * {@code recon.alerts} when it is one, or the original bytes with the reason to the dead-letter
 * topic. The returned future completes when Kafka has acknowledged every write of the batch,
 * so the caller knows when it may commit.
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
        List<CompletableFuture<RecordMetadata>> writes = new ArrayList<>(records.size() * 2);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Outcome outcome = outcomes.get(i);
            if (outcome.isRejected()) {
                writes.add(deadLetter(stream, dlqTopic, record, outcome.rejection()));
            } else {
                writes.addAll(verdict(outcome.verdict()));
            }
        }
        long[] timestamps = new long[records.size()];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = records.get(i).timestamp();
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .thenRun(() -> metrics.eventLatencies(stream, System.currentTimeMillis(), timestamps));
    }

    /** Sends a record to the dead-letter topic with the reason. */
    CompletableFuture<RecordMetadata> deadLetter(String stream, String dlqTopic, ConsumerRecord<String, byte[]> record,
            InvalidEventException reason) {
        metrics.deadLettered(stream, reason.reason());
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_REASON, utf8(reason.getMessage()));
        headers.add(Topics.HEADER_REASON_CODE, utf8(reason.reason()));
        headers.add(Topics.HEADER_TOPIC, utf8(record.topic()));
        headers.add(Topics.HEADER_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(Topics.HEADER_OFFSET, utf8(Long.toString(record.offset())));
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return producer.send(new ProducerRecord<>(dlqTopic, null, record.key(), value, headers));
    }

    private List<CompletableFuture<RecordMetadata>> verdict(Verdict verdict) {
        byte[] json = toJson(verdict);
        List<CompletableFuture<RecordMetadata>> writes = new ArrayList<>(2);
        if (config.scoring().publishVerdicts()) {
            writes.add(producer.send(new ProducerRecord<>(config.topics().verdicts(), verdict.eventId(), json)));
        }
        if (verdict.alert()) {
            metrics.alert(verdict.stream(), verdict.model(), verdict.severity());
            writes.add(producer.send(new ProducerRecord<>(config.topics().alerts(), verdict.eventId(), json)));
        }
        return writes;
    }

    private byte[] toJson(Verdict verdict) {
        try {
            return mapper.writeValueAsBytes(verdict);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A verdict must always serialise", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
