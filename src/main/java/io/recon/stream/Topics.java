package io.recon.stream;

/** Channel names (configured in application.properties) and the topics they map to by default. */
public final class Topics {

    /** Incoming telemetry events ({@code telemetry.events}). */
    public static final String TELEMETRY_EVENTS = "telemetry-events";
    /** Rejected telemetry events with the reason ({@code telemetry.events.dlq}). */
    public static final String TELEMETRY_DLQ = "telemetry-events-dlq";
    /** Alerts ({@code recon.alerts}). */
    public static final String ALERTS = "recon-alerts";
    /** A verdict for every scored event ({@code recon.verdicts}). */
    public static final String VERDICTS = "recon-verdicts";

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

    private Topics() {
    }
}
