package io.recon.scorer;

/**
 * A reload whose new bundle could not be loaded; the model that was serving keeps serving. The
 * message says why in words fit for the caller (no stack trace, no absolute path).
 */
public final class ReloadRefusedException extends RuntimeException {

    ReloadRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
