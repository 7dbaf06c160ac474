package io.recon.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Decides, per column, whether a table's string cells are numeric or categorical. */
public final class SchemaInference {

    private SchemaInference() {
    }

    /**
     * Infers a kind for every column not excluded. A column is {@link ColumnKind#NUMERIC} when it
     * has at least one non-empty cell and every non-empty (after trimming) cell is a finite decimal
     * number; otherwise it is {@link ColumnKind#CATEGORICAL}. Excluded names that are not columns
     * are ignored, so callers may pass a fixed set such as {@code {"label", "timestamp"}}.
     *
     * @param table           the table
     * @param excludedColumns columns to leave out of the result (for example labels or ids)
     * @return column name to kind, in column order
     */
    public static Map<String, ColumnKind> infer(Table table, Set<String> excludedColumns) {
        Map<String, ColumnKind> kinds = new LinkedHashMap<>();
        for (int c = 0; c < table.columns().size(); c++) {
            String name = table.columns().get(c);
            if (!excludedColumns.contains(name)) {
                kinds.put(name, inferColumn(table, c));
            }
        }
        return kinds;
    }

    /**
     * Whether a cell reads as a finite decimal number, e.g. {@code "42"}, {@code " -1.5e3 "}.
     * Text {@code Double.parseDouble} would also take but that is not ordinary decimal notation
     * ({@code "NaN"}, {@code "Infinity"}, hex {@code "0x1p3"}, Java suffixes {@code "1f"},
     * {@code "2d"}) is rejected, as are values that overflow to infinity.
     *
     * @param cell the cell text
     * @return true when it is a finite number
     */
    public static boolean isFiniteNumber(String cell) {
        String text = cell.trim();
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean allowed = (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+'
                    || ch == 'e' || ch == 'E';
            if (!allowed) {
                return false;
            }
        }
        try {
            return Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ColumnKind inferColumn(Table table, int column) {
        boolean sawValue = false;
        for (String[] row : table.rows()) {
            String cell = row[column];
            if (cell == null || cell.isBlank()) {
                continue;
            }
            if (!isFiniteNumber(cell)) {
                return ColumnKind.CATEGORICAL;
            }
            sawValue = true;
        }
        // An all-empty column carries no evidence of being numeric.
        return sawValue ? ColumnKind.NUMERIC : ColumnKind.CATEGORICAL;
    }
}
