package io.recon.calibration;

/**
 * How far beyond the threshold an event scored, measured in units of the normal spread
 * {@code threshold - median} of the calibration scores: low below 0.5, medium below 2,
 * high below 8, critical from 8 on.
 */
public enum Severity {
    /** Not above the threshold. */
    NONE,
    /** Just above the threshold. */
    LOW,
    /** Clearly above. */
    MEDIUM,
    /** Far above. */
    HIGH,
    /** Nothing like normal traffic. */
    CRITICAL;

    /** The severity for an excess {@code (score - threshold) / (threshold - median)}. */
    public static Severity ofExcess(double excess) {
        if (!(excess > 0)) {
            return NONE;
        }
        if (excess < 0.5) {
            return LOW;
        }
        if (excess < 2) {
            return MEDIUM;
        }
        return excess < 8 ? HIGH : CRITICAL;
    }

    /** Lower-case name, as in alerts and metric tags. */
    public String label() {
        return name().toLowerCase();
    }
}
