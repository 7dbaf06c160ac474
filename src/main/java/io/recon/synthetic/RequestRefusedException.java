package io.recon.synthetic;

/**
 * A synthetic-data request that will not be served, with the HTTP status, a stable reason code and
 * a message that says what to change.
 */
public final class RequestRefusedException extends RuntimeException {

    private final int status;
    private final String reason;
    private final long retryAfterSeconds;

    RequestRefusedException(int status, String reason, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: the request itself is wrong. */
    static RequestRefusedException invalid(String reason, String message) {
        return new RequestRefusedException(400, reason, message, 0);
    }

    /** 429: too many requests now; try again after {@code seconds}. */
    static RequestRefusedException tooMany(String reason, String message, long seconds) {
        return new RequestRefusedException(429, reason, message, seconds);
    }

    /** 404: no such generator or request in this process. */
    static RequestRefusedException notFound(String reason, String message) {
        return new RequestRefusedException(404, reason, message, 0);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The stable reason code. */
    public String reason() {
        return reason;
    }

    /** Seconds to wait before asking again; 0 when waiting does not help. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
