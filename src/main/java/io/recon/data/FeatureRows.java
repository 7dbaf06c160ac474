package io.recon.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of feature cells, real or synthetic, with each column's kind: numbers, or categories. What
 * the synthetic-data metrics and generators read and write; the same columns on both sides.
 *
 * @param names   column names
 * @param numeric per column: numbers (true) or categories
 * @param rows    cells, one array per row, in column order
 */
public record FeatureRows(List<String> names, boolean[] numeric, List<String[]> rows) {

    public FeatureRows {
        names = List.copyOf(names);
        numeric = numeric.clone();
        rows = List.copyOf(rows);
        if (names.size() != numeric.length) {
            throw new IllegalArgumentException(names.size() + " names for " + numeric.length + " column kinds");
        }
        for (String[] row : rows) {
            if (row.length != names.size()) {
                throw new IllegalArgumentException("a row of " + row.length + " cells in a table of "
                        + names.size() + " columns");
            }
        }
    }

    /** The same columns holding {@code other} rows. */
    public FeatureRows with(List<String[]> other) {
        return new FeatureRows(names, numeric, other);
    }

    /** Rows. */
    public int size() {
        return rows.size();
    }

    /** Columns. */
    public int width() {
        return names.size();
    }

    /** A numeric column's values. */
    public double[] numbers(int column) {
        if (!numeric[column]) {
            throw new IllegalArgumentException("column '" + names.get(column) + "' holds categories");
        }
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = number(rows.get(r)[column], column);
        }
        return out;
    }

    /** A column's cells as text. */
    public String[] cells(int column) {
        String[] out = new String[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r)[column];
        }
        return out;
    }

    /** The numeric columns' indexes. */
    public List<Integer> numericColumns() {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < numeric.length; c++) {
            if (numeric[c]) {
                out.add(c);
            }
        }
        return out;
    }

    /** A numeric cell of {@code column} as a number; a clear error when it is not one. */
    public double number(String cell, int column) {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column '" + names.get(column) + "' is numeric but holds '" + cell
                    + "'", e);
        }
    }
}
