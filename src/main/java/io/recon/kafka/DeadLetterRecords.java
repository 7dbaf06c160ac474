package io.recon.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.recon.event.EnvelopeFields;
import io.recon.event.InvalidEventException;

/**
 * Builds the dead letter of a rejected record: its bytes and key, the reason, where it came from,
 * and its size and SHA-256. Every dead letter fits the producer's request limit, whatever was
 * sent: a value over {@code maxCopyBytes} is cut (header {@code dead-letter-truncated: true}), a
 * key over {@link #MAX_KEY_CHARS} is cut, and the reason text is bounded. Without this a record
 * the broker accepted could have a dead letter the producer refuses, and the consumer would stop
 * on it for good.
 */
public final class DeadLetterRecords {

    /** Longest key kept; keys only spread dead letters over partitions. */
    static final int MAX_KEY_CHARS = 256;
    /** Longest reason text kept in a header. */
    static final int MAX_REASON_CHARS = 1_000;

    private final int maxCopyBytes;

    /** Dead letters that keep at most {@code maxCopyBytes} of each record's value. */
    public DeadLetterRecords(int maxCopyBytes) {
        if (maxCopyBytes < 1) {
            throw new IllegalArgumentException("recon.dead-letter.max-copy-bytes must be positive, got "
                    + maxCopyBytes);
        }
        this.maxCopyBytes = maxCopyBytes;
    }

    /** The dead letter of {@code record} on {@code dlqTopic}. */
    public ProducerRecord<String, byte[]> of(String dlqTopic, ConsumerRecord<String, byte[]> record,
            InvalidEventException reason) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        boolean truncated = value.length > maxCopyBytes;
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.HEADER_REASON, utf8(EnvelopeFields.abbreviate(reason.getMessage(), MAX_REASON_CHARS)));
        headers.add(Topics.HEADER_REASON_CODE, utf8(reason.reason()));
        headers.add(Topics.HEADER_TOPIC, utf8(record.topic()));
        headers.add(Topics.HEADER_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(Topics.HEADER_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(Topics.HEADER_ORIGINAL_BYTES, utf8(Integer.toString(value.length)));
        headers.add(Topics.HEADER_ORIGINAL_SHA256, utf8(sha256(value)));
        if (truncated) {
            headers.add(Topics.HEADER_TRUNCATED, utf8("true"));
        }
        String key = record.key() == null || record.key().length() <= MAX_KEY_CHARS ? record.key()
                : record.key().substring(0, MAX_KEY_CHARS);
        byte[] copy = truncated ? Arrays.copyOf(value, maxCopyBytes) : value;
        return new ProducerRecord<>(dlqTopic, null, key, copy, headers);
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
