package io.recon.feature;

import java.util.Locale;

/**
 * What a numeric or categorical column measures, as a user declares it (or as training infers it).
 * Counts, sizes and durations cannot be negative: when a user declares one of these kinds, a
 * negative value is impossible and is rejected with that reason. An inferred kind never rejects
 * anything, because inference can only see the values it was given.
 */
public enum ValueKind {
    /** How many of something (packets, connections): a non-negative number. */
    COUNT,
    /** An amount of data (bytes): a non-negative number. */
    SIZE,
    /** A length of time: a non-negative number. */
    DURATION,
    /** A plain number of either sign, used as it is (no log). */
    NUMBER,
    /** A label from a finite set (one-hot). */
    CATEGORY;

    /** Whether a negative value is impossible for this kind. */
    public boolean nonNegative() {
        return this == COUNT || this == SIZE || this == DURATION;
    }

    /** Whether the feature is numeric. */
    public boolean numeric() {
        return this != CATEGORY;
    }

    /**
     * Reads a kind name as users write it: {@code count}, {@code counts}, {@code size}, {@code bytes},
     * {@code duration}, {@code number}, {@code numeric}, {@code category}, {@code categorical}
     * (case-insensitive).
     */
    public static ValueKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "count", "counts" -> COUNT;
            case "size", "sizes", "bytes" -> SIZE;
            case "duration", "durations", "time" -> DURATION;
            case "number", "numbers", "numeric" -> NUMBER;
            case "category", "categories", "categorical" -> CATEGORY;
            default -> throw new IllegalArgumentException("unknown column kind '" + text
                    + "'; use count, size, duration, number or category");
        };
    }

    /** The lower-case singular name, as in messages and schema files. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
