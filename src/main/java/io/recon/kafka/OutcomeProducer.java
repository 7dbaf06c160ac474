package io.recon.kafka;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;


/**
 * The one Kafka producer that writes outcomes (verdicts, alerts, dead letters). A plain
 * producer rather than messaging emitters: the consumer must know when each write is durable
 * before it commits, and per-record callbacks give that at the producer's full speed. It takes every {@code kafka.*} setting
 * (bootstrap, TLS, SASL) through {@link KafkaClients}.
 */
@ApplicationScoped
public class OutcomeProducer {

    private final KafkaProducer<String, byte[]> producer;
    private final int maxRequestSize;

    @Inject
    OutcomeProducer(KafkaClients clients) {
        Map<String, Object> config = clients.producer("recon-outcomes");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        this.maxRequestSize = Integer.parseInt(String.valueOf(config.getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024)));
        this.producer = new KafkaProducer<>(config);
    }

    /** The producer's {@code max.request.size}: no record it sends may be larger. */
    public int maxRequestSize() {
        return maxRequestSize;
    }

    /** Sends a record; the future completes when the broker has it (acks=all), or fails for good. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                written.complete(metadata);
            } else {
                written.completeExceptionally(error);
            }
        });
        return written;
    }

    /**
     * Closed after the messaging connector has stopped its consumers (no batch can still be
     * writing) and before an embedded broker stops, so it flushes instead of reconnecting.
     */
    void close(@Observes @BeforeDestroyed(ApplicationScoped.class) @Priority(Interceptor.Priority.LIBRARY_AFTER)
            Object event) {
        producer.close();
    }
}
