package io.recon.kafka;

/** The input channel names and the dead-letter header names. */
public final class Topics {

    /** Incoming telemetry events ({@code telemetry.events}). */
    public static final String TELEMETRY_EVENTS = "telemetry-events";

    /** Incoming image events ({@code imaging.events}). */
    public static final String IMAGING_EVENTS = "imaging-events";

    /** Dead-letter header: the specific, human-readable reason (SmallRye's own DLQ header name). */
    public static final String HEADER_REASON = "dead-letter-reason";
    /** Dead-letter header: the stable reason code, as in the metric tag. */
    public static final String HEADER_REASON_CODE = "dead-letter-reason-code";
    /** Dead-letter header: source topic. */
    public static final String HEADER_TOPIC = "dead-letter-topic";
    /** Dead-letter header: source partition. */
    public static final String HEADER_PARTITION = "dead-letter-partition";
    /** Dead-letter header: source offset. */
    public static final String HEADER_OFFSET = "dead-letter-offset";
    /** Dead-letter header: the original value's size in bytes. */
    public static final String HEADER_ORIGINAL_BYTES = "dead-letter-original-bytes";
    /** Dead-letter header: the original value's SHA-256, hex. */
    public static final String HEADER_ORIGINAL_SHA256 = "dead-letter-original-sha256";
    /** Dead-letter header, present only when the copy was cut to the size limit: {@code true}. */
    public static final String HEADER_TRUNCATED = "dead-letter-truncated";

    private Topics() {
    }
}
