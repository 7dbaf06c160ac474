package io.recon.cli;

import java.util.Locale;

import io.recon.data.DatasetSplit;

/**
 * Which held-out normal rows {@code explain-benchmark} plants causes in. Validation rows come from the
 * bundle's calibration part: the scoring VAE never trained on them and they are not test rows, so
 * methods can be compared and chosen there; the test part is read once, at the end.
 */
enum HeldOutSplit {

    /** Normal rows of the calibration part. */
    VALIDATION(DatasetSplit.Part.CALIBRATION, "explanations-telemetry-validation",
            "the calibration part's normal rows, never trained on and not test rows"),
    /** Normal rows of the test part. */
    TEST(DatasetSplit.Part.TEST, "explanations-telemetry", "the test part's normal rows");

    private final DatasetSplit.Part part;
    private final String defaultReport;
    private final String description;

    HeldOutSplit(DatasetSplit.Part part, String defaultReport, String description) {
        this.part = part;
        this.defaultReport = defaultReport;
        this.description = description;
    }

    /** {@code validation} or {@code test}. */
    static HeldOutSplit parse(String word) {
        for (HeldOutSplit s : values()) {
            if (s.label().equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("--split must be validation or test, not '" + word + "'");
    }

    /** How options and reports name it. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The part of the bundle's split its rows come from. */
    DatasetSplit.Part part() {
        return part;
    }

    /** Report file name when {@code --report} is not given, so a validation run never overwrites the test report. */
    String defaultReport() {
        return defaultReport;
    }

    /** Where its rows come from, in words. */
    String description() {
        return description;
    }
}
