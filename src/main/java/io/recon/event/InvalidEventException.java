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

    /** The stable reason code. */
    public String reason() {
        return reason;
    }
}
