package io.recon.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.config.ReconConfig;
import io.recon.event.InvalidEventException;
import io.recon.scoring.Outcome;
import io.recon.scoring.Verdict;
import io.recon.service.ScoringMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes the outcome of each consumed record: its verdict to {@code recon.verdicts}, an alert to
 * {@code recon.alerts} when it is one, or the original bytes with the reason to the dead-letter
 * topic. Returns only when Kafka has acknowledged every write, so the caller can commit.
 */
@ApplicationScoped
public class OutcomePublisher {

    private static final int BUFFER = 16_384;

    @Inject
    @Channel(Topics.ALERTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    MutinyEmitter<String> alerts;

    @Inject
    @Channel(Topics.VERDICTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    MutinyEmitter<String> verdicts;

    @Inject
    @Channel(Topics.TELEMETRY_DLQ)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    MutinyEmitter<byte[]> deadLetters;

    @Inject
    ObjectMapper mapper;

    @Inject
    ScoringMetrics metrics;

    @Inject
    ReconConfig config;

    /** Publishes one outcome per record (same order) and waits until all are written. */
    public void publishAndAwait(List<ConsumerRecord<String, byte[]>> records, List<Outcome> outcomes) {
        List<Uni<Void>> writes = new ArrayList<>(records.size() * 2);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Outcome outcome = outcomes.get(i);
            if (outcome.isRejected()) {
                writes.add(deadLetter(record, outcome.rejection()));
            } else {
                writes.addAll(verdict(record, outcome.verdict()));
            }
        }
        if (!writes.isEmpty()) {
            Uni.join().all(writes).andFailFast().await().indefinitely();
        }
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> record : records) {
            metrics.eventLatency("telemetry", Duration.ofMillis(Math.max(0, now - record.timestamp())));
        }
    }

    /** Sends a record to the dead-letter topic with the reason; used for whole batches too. */
    public Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, InvalidEventException reason) {
        metrics.deadLettered("telemetry", reason.reason());
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_REASON, utf8(reason.getMessage()));
        headers.add(Topics.HEADER_REASON_CODE, utf8(reason.reason()));
        headers.add(Topics.HEADER_TOPIC, utf8(record.topic()));
        headers.add(Topics.HEADER_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(Topics.HEADER_OFFSET, utf8(Long.toString(record.offset())));
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return deadLetters.sendMessage(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build()));
    }

    private List<Uni<Void>> verdict(ConsumerRecord<String, byte[]> record, Verdict verdict) {
        String json = toJson(verdict);
        List<Uni<Void>> writes = new ArrayList<>(2);
        if (config.scoring().publishVerdicts()) {
            writes.add(verdicts.sendMessage(keyed(verdict.eventId(), json)));
        }
        if (verdict.alert()) {
            metrics.alert(verdict.stream(), verdict.model(), verdict.severity());
            writes.add(alerts.sendMessage(keyed(verdict.eventId(), json)));
        }
        return writes;
    }

    private static Message<String> keyed(String key, String json) {
        return Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }

    private String toJson(Verdict verdict) {
        try {
            return mapper.writeValueAsString(verdict);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A verdict must always serialise", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
