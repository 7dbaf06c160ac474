package io.recon.scorer;

/**
 * Which telemetry events two-stage scoring scores in full for the drift window: one in {@code every},
 * by a hash of the event id, so an event scored twice (a redelivery, the same event over the API) is
 * picked both times and gets the same score.
 */
final class DriftSample {

    private DriftSample() {
    }

    /** Whether the event {@code id} is in the sample; {@code every} 0 or less picks none. */
    static boolean picks(String id, int every) {
        if (every <= 0 || id == null) {
            return false;
        }
        int h = id.hashCode() * 0x9E3779B9; // spread the low bits that short ids share
        return Math.floorMod(h ^ (h >>> 16), every) == 0;
    }
}
