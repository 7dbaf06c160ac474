package io.recon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.recon.feature.FeatureSpec;

/**
 * A known cause planted in a normal row: one feature changed by a realistic amount, so that an
 * explanation can be checked against it. Works on a row's raw cells in the model's feature order.
 */
enum FeatureCorruption {

    /** A number replaced by the same feature's value in a normal training row of another traffic class. */
    OTHER_CLASS_VALUE("value from another class"),
    /** A number (a count, a size, a duration) multiplied by ten. */
    SCALED_TEN_TIMES("scaled x10"),
    /** A number set to zero, as a field a broken exporter leaves empty. */
    ZEROED("zeroed"),
    /** A category replaced by another one seen in training. */
    SWAPPED_CATEGORY("swapped category");

    private final String label;

    FeatureCorruption(String label) {
        this.label = label;
    }

    /** How reports name it. */
    String label() {
        return label;
    }

    /**
     * Corrupts one feature of {@code cells}, chosen uniformly among those this corruption changes.
     *
     * @param donors normal training rows of other classes than the row's (for {@link #OTHER_CLASS_VALUE})
     * @return the corrupted feature's index, or -1 when no feature of this row can be changed this way
     */
    int apply(String[] cells, List<FeatureSpec> specs, List<String[]> donors, Random random) {
        List<Integer> candidates = new ArrayList<>();
        List<String> replacements = new ArrayList<>();
        for (int f = 0; f < specs.size(); f++) {
            String replacement = replacement(cells[f], f, specs.get(f), donors, random);
            if (replacement != null && !replacement.equals(cells[f])) {
                candidates.add(f);
                replacements.add(replacement);
            }
        }
        if (candidates.isEmpty()) {
            return -1;
        }
        int pick = random.nextInt(candidates.size());
        int feature = candidates.get(pick);
        cells[feature] = replacements.get(pick);
        return feature;
    }

    private String replacement(String cell, int f, FeatureSpec spec, List<String[]> donors, Random random) {
        boolean numeric = spec.kind() == FeatureSpec.Kind.NUMERIC;
        switch (this) {
            case OTHER_CLASS_VALUE -> {
                if (!numeric || donors.isEmpty()) {
                    return null;
                }
                String value = donors.get(random.nextInt(donors.size()))[f];
                return Double.parseDouble(value) == Double.parseDouble(cell) ? null : value;
            }
            case SCALED_TEN_TIMES -> {
                double v = numeric ? Double.parseDouble(cell) : 0;
                return numeric && v != 0 ? format(v * 10) : null;
            }
            case ZEROED -> {
                return numeric && Double.parseDouble(cell) != 0 ? "0" : null;
            }
            case SWAPPED_CATEGORY -> {
                if (numeric || spec.categories().size() < 2) {
                    return null;
                }
                List<String> others = new ArrayList<>(spec.categories());
                others.remove(cell);
                return others.isEmpty() ? null : others.get(random.nextInt(others.size()));
            }
            default -> throw new IllegalStateException(name());
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
