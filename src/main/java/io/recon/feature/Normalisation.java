package io.recon.feature;

import java.util.Locale;

/** How training puts a numeric feature on the network's scale, after its transform. */
public enum Normalisation {
    /** Minus the training median, divided by a robust spread (the default). */
    ROBUST,
    /** The normal score of the value's place among the training values ({@link QuantileScale}). */
    QUANTILE;

    /** {@code robust} or {@code quantile}, as a command option spells it. */
    public static Normalisation parse(String option) {
        return switch (option.trim().toLowerCase(Locale.ROOT)) {
            case "robust" -> ROBUST;
            case "quantile" -> QUANTILE;
            default -> throw new IllegalArgumentException("normalisation is robust or quantile, not '" + option + "'");
        };
    }
}
