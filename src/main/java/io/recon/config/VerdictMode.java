package io.recon.config;

/**
 * What the scorer writes to {@code recon.verdicts} for each event it scores. Alerts go to {@code
 * recon.alerts} in full whatever the mode, and dead letters to the input's DLQ.
 */
public enum VerdictMode {
    /** The full verdict of every event: scores, threshold, percentile, severity. */
    FULL,
    /** {@link io.recon.event.CompactVerdict}: id, model and version, alert flag, score (or bound). */
    COMPACT,
    /** Nothing: the broker takes alerts and dead letters only. */
    ALERTS_ONLY
}
