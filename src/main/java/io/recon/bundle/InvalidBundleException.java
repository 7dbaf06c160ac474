package io.recon.bundle;

import java.nio.file.Path;

/** A model bundle that cannot be used as it is: damaged, incomplete or mismatched. Nothing was loaded. */
public final class InvalidBundleException extends RuntimeException {

    /**
     * @param dir  the bundle folder, as configured (the message never makes it absolute)
     * @param what what is wrong with it
     */
    public InvalidBundleException(Path dir, String what) {
        super("Model bundle " + dir + " refused: " + what);
    }

    /** The same, keeping the cause for the log. */
    public InvalidBundleException(Path dir, String what, Throwable cause) {
        super("Model bundle " + dir + " refused: " + what, cause);
    }
}
