package io.recon.feature;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides each feature's kind and transform: the user's declaration when there is one (counts,
 * sizes and durations are log-scaled, plain numbers are used as they are), else
 * {@link TransformInference} over every row of the table.
 */
public final class FeaturePlanner {

    private FeaturePlanner() {
    }

    /**
     * @param names    feature names, in schema order
     * @param columns  for each feature, its cell index in a row
     * @param numeric  for each feature, whether its cells are numbers
     * @param declared kinds the user declared, by column name (others are inferred)
     * @param allRows  every row of the table (labels are not looked at)
     * @throws IllegalArgumentException when a declared kind contradicts the data (text in a declared
     *                                  number, a negative value in a declared count, size or duration)
     */
    public static List<FeaturePlan> plan(List<String> names, int[] columns, boolean[] numeric,
            Map<String, ValueKind> declared, List<String[]> allRows) {
        List<FeaturePlan> plans = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            String name = names.get(f);
            ValueKind kind = declared.get(name);
            if (kind == ValueKind.CATEGORY || (kind == null && !numeric[f])) {
                plans.add(new FeaturePlan(name, columns[f], ValueKind.CATEGORY, null, kind != null));
                continue;
            }
            if (!numeric[f]) {
                throw new IllegalArgumentException("column '" + name + "' is declared a " + kind.label()
                        + " but holds values that are not numbers");
            }
            double[] values = values(allRows, columns[f]);
            if (kind == null) {
                TransformInference.Inferred inferred = TransformInference.infer(values);
                plans.add(new FeaturePlan(name, columns[f], inferred.kind(), inferred.transform(), false));
                continue;
            }
            if (kind.nonNegative()) {
                for (double v : values) {
                    if (v < 0) {
                        throw new IllegalArgumentException("column '" + name + "' is declared a " + kind.label()
                                + ", which cannot be negative, but holds " + v
                                + "; declare it a number instead, or fix the data");
                    }
                }
            }
            plans.add(new FeaturePlan(name, columns[f], kind,
                    kind.nonNegative() ? FeatureSpec.Transform.LOG1P : FeatureSpec.Transform.IDENTITY, true));
        }
        return plans;
    }

    /** The non-empty numeric cells of a column. */
    static double[] values(List<String[]> rows, int column) {
        double[] out = new double[rows.size()];
        int n = 0;
        for (String[] row : rows) {
            String cell = row[column];
            if (cell != null && !cell.isBlank()) {
                out[n++] = Double.parseDouble(cell.trim());
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
