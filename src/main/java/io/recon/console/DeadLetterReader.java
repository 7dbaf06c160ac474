package io.recon.console;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.recon.kafka.Topics;

/** Reads a dead letter's headers and the start of its bytes into what the console shows. */
final class DeadLetterReader {

    /** Characters of the refused record shown. */
    static final int PREVIEW_CHARS = 300;

    private DeadLetterReader() {
    }

    static DeadLetter read(ConsumerRecord<String, byte[]> r) {
        return new DeadLetter(r.topic(), header(r, Topics.HEADER_TOPIC, "?"), (int) number(r, Topics.HEADER_PARTITION),
                number(r, Topics.HEADER_OFFSET), header(r, Topics.HEADER_REASON_CODE, "unknown"),
                header(r, Topics.HEADER_REASON, "(no reason header)"), number(r, Topics.HEADER_ORIGINAL_BYTES),
                header(r, Topics.HEADER_ORIGINAL_SHA256, ""), preview(r.value()), r.key(), r.timestamp());
    }

    /** The record's first characters if it is text; a note of its size if it is binary (an image). */
    static String preview(byte[] value) {
        if (value == null) {
            return "(no value)";
        }
        String text = new String(value, 0, Math.min(value.length, PREVIEW_CHARS * 4), StandardCharsets.UTF_8);
        long undecodable = text.chars().filter(c -> c == '\uFFFD' || c == 0).count();
        // One or two replacement characters can be a multi-byte character cut at the end; more is binary.
        if (undecodable > 2) {
            return "(" + value.length + " bytes, not text)";
        }
        StringBuilder s = new StringBuilder();
        text.codePoints().limit(PREVIEW_CHARS).forEach(c -> s.appendCodePoint(Character.isISOControl(c) ? '\u00b7' : c));
        return s.toString();
    }

    private static String header(ConsumerRecord<?, ?> r, String name, String absent) {
        Header h = r.headers().lastHeader(name);
        return h == null ? absent : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long number(ConsumerRecord<?, ?> r, String name) {
        try {
            return Long.parseLong(header(r, name, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
