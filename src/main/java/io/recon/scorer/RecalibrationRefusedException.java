package io.recon.scorer;

/** A recalibration (or its undo) that was not made, with a reason code for the API and why in words. */
public class RecalibrationRefusedException extends RuntimeException {

    private final String reason;

    public RecalibrationRefusedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RecalibrationRefusedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@code too_few_events}, {@code too_many_alerts}, {@code nothing_to_undo}, {@code bundle_not_writable},
     * {@code bundle_refused}. */
    public String reason() {
        return reason;
    }
}
