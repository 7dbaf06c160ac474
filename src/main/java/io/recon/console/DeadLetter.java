package io.recon.console;

/**
 * One record a role refused, as its dead-letter topic holds it (see io.recon.kafka.DeadLetterRecords).
 *
 * @param topic         the dead-letter topic
 * @param sourceTopic   where the record was first sent
 * @param partition     its partition there
 * @param offset        its offset there
 * @param reasonCode    the reason, as a stable code ({@code invalid_json}, {@code image_too_large}, ...)
 * @param reason        the reason in words
 * @param originalBytes the refused record's size
 * @param sha256        the refused record's digest
 * @param preview       its first characters, as text (control characters replaced)
 * @param key           its key
 * @param deadLetteredAt when the dead letter was written (epoch ms)
 */
public record DeadLetter(String topic, String sourceTopic, int partition, long offset, String reasonCode,
        String reason, long originalBytes, String sha256, String preview, String key, long deadLetteredAt) {
}
