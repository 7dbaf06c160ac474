package io.recon.scorer;

import io.recon.event.Verdict;
import io.recon.event.InvalidEventException;

/**
 * What became of one input: a verdict, or a rejection that sends it to the dead-letter topic.
 *
 * @param verdict   the verdict, or null when rejected
 * @param rejection why it could not be scored, or null
 */
public record Outcome(Verdict verdict, InvalidEventException rejection) {

    /** A scored event. */
    public static Outcome scored(Verdict verdict) {
        return new Outcome(verdict, null);
    }

    /** A rejected event. */
    public static Outcome rejected(InvalidEventException rejection) {
        return new Outcome(null, rejection);
    }

    /** Whether the event was rejected. */
    public boolean isRejected() {
        return rejection != null;
    }
}
