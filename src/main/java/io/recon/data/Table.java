package io.recon.data;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An in-memory table of string cells, as read from a CSV or JSON-lines file. Typing is left to
 * {@link SchemaInference} so the reader never guesses.
 *
 * <p>Rows are arrays for compactness; note that record equality therefore compares rows by
 * identity, not content.
 *
 * @param columns column names, unique, in file order
 * @param rows    one array per row, each exactly {@code columns.size()} long
 */
public record Table(List<String> columns, List<String[]> rows) {

    /**
     * Validates shape and takes unmodifiable copies of the lists (the row arrays are shared).
     *
     * @throws IllegalArgumentException on duplicate column names or a row of the wrong width
     */
    public Table {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!seen.add(column)) {
                throw new IllegalArgumentException("duplicate column name: " + column);
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != columns.size()) {
                throw new IllegalArgumentException("row " + i + " has " + rows.get(i).length
                        + " cells, expected " + columns.size());
            }
        }
    }

    /**
     * Position of a column.
     *
     * @param name column name
     * @return its zero-based index
     * @throws IllegalArgumentException naming the missing column and listing the available ones
     */
    public int columnIndex(String name) {
        int index = columns.indexOf(Objects.requireNonNull(name, "name"));
        if (index < 0) {
            throw new IllegalArgumentException(
                    "no column named '" + name + "'; available columns: " + columns);
        }
        return index;
    }

    /**
     * Number of data rows (the header is not counted).
     *
     * @return the row count
     */
    public int size() {
        return rows.size();
    }
}
