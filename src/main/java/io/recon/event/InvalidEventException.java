package io.recon.event;

/**
 * An event that cannot be scored. It carries a short, stable reason code (used as a metric tag
 * and a dead-letter header) and a specific message a person can act on.
 */
public class InvalidEventException extends RuntimeException {

    private final String reason;

    /**
     * @param reason  stable code such as {@code invalid_json} or {@code missing_feature}
     * @param message what exactly is wrong, naming the field and the expectation
     */
    public InvalidEventException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * A payload that made a decoder fail in a way it does not foresee (a bug to fix, never a
     * reason to lose the batch). The message names only the failure's type: its own text may
     * quote the payload or name server paths. The caller logs the full failure.
     */
    public static InvalidEventException decoderFailure(Throwable failure) {
        return new InvalidEventException("decoder_error", "the decoder failed on this payload ("
                + failure.getClass().getSimpleName() + "); the record is kept here and the failure is logged");
    }

    /** The stable reason code. */
    public String reason() {
        return reason;
    }
}
