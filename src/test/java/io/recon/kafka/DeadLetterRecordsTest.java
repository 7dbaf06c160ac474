package io.recon.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.recon.event.InvalidEventException;

class DeadLetterRecordsTest {

    private final DeadLetterRecords letters = new DeadLetterRecords(1000);

    @Test
    void aSmallRecordIsKeptWholeWithWhereItCameFromAndItsDigest() {
        byte[] value = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> letter = letters.of("t.dlq", new ConsumerRecord<>("t", 3, 42L, "k", value),
                new InvalidEventException("bad_field", "field 'id' must be a non-empty string"));
        assertArrayEquals(value, letter.value());
        assertEquals("k", letter.key());
        assertEquals("bad_field", header(letter, Topics.HEADER_REASON_CODE));
        assertEquals("t", header(letter, Topics.HEADER_TOPIC));
        assertEquals("3", header(letter, Topics.HEADER_PARTITION));
        assertEquals("42", header(letter, Topics.HEADER_OFFSET));
        assertEquals("8", header(letter, Topics.HEADER_ORIGINAL_BYTES));
        assertEquals(sha256(value), header(letter, Topics.HEADER_ORIGINAL_SHA256));
        assertNull(header(letter, Topics.HEADER_TRUNCATED));
    }

    @Test
    void aLargeRecordIsCutAndSaysSoAndItsKeyAndReasonAreBounded() {
        byte[] value = new byte[5000];
        Arrays.fill(value, (byte) 'x');
        String key = "k".repeat(10_000);
        ProducerRecord<String, byte[]> letter = letters.of("t.dlq", new ConsumerRecord<>("t", 0, 7L, key, value),
                new InvalidEventException("too_large", "r".repeat(50_000)));
        assertEquals(1000, letter.value().length);
        assertEquals("true", header(letter, Topics.HEADER_TRUNCATED));
        assertEquals("5000", header(letter, Topics.HEADER_ORIGINAL_BYTES));
        assertEquals(DeadLetterRecords.MAX_KEY_CHARS, letter.key().length());
        assertEquals(DeadLetterRecords.MAX_REASON_CHARS, header(letter, Topics.HEADER_REASON).length());
    }

    @Test
    void aTombstoneIsDeadLetteredAsEmpty() {
        ProducerRecord<String, byte[]> letter = letters.of("t.dlq", new ConsumerRecord<>("t", 0, 1L, null, null),
                new InvalidEventException("empty_payload", "payload is empty"));
        assertEquals(0, letter.value().length);
        assertEquals("0", header(letter, Topics.HEADER_ORIGINAL_BYTES));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                header(letter, Topics.HEADER_ORIGINAL_SHA256));
    }

    private static String sha256(byte[] value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(value));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
