package io.recon.data;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * A table with its columns given roles: an id, an optional label (and the value that means
 * normal), an optional group (attack type or generator, for per-type metrics), ignored
 * columns, and the rest as features whose kinds are declared or inferred.
 */
public final class LabelledTable {

    private final Table table;
    private final int idColumn;
    private final int labelColumn;
    private final int groupColumn;
    private final String normalLabel;
    private final List<String> featureNames;
    private final boolean[] numeric;
    private final int[] featureColumns;

    /**
     * @param table        the rows
     * @param roles        which column plays which part
     */
    public LabelledTable(Table table, ColumnRoles roles) {
        this.table = table;
        this.idColumn = roles.idColumn() == null ? -1 : table.columnIndex(roles.idColumn());
        this.labelColumn = roles.labelColumn() == null ? -1 : table.columnIndex(roles.labelColumn());
        this.groupColumn = roles.groupColumn() == null ? -1 : table.columnIndex(roles.groupColumn());
        this.normalLabel = roles.normalLabel();
        Set<String> excluded = new LinkedHashSet<>(roles.ignoredColumns());
        for (String c : new String[] {roles.idColumn(), roles.labelColumn(), roles.groupColumn()}) {
            if (c != null) {
                excluded.add(c);
            }
        }
        Map<String, ColumnKind> kinds = SchemaInference.infer(table, excluded);
        for (String c : roles.categoricalColumns()) {
            table.columnIndex(c);
            kinds.put(c, ColumnKind.CATEGORICAL);
        }
        for (String c : roles.numericColumns()) {
            table.columnIndex(c);
            if (!kinds.containsKey(c) || kinds.get(c) != ColumnKind.NUMERIC) {
                throw new IllegalArgumentException("column '" + c + "' was declared numeric but holds values"
                        + " that are not numbers");
            }
        }
        this.featureNames = new ArrayList<>(kinds.keySet());
        if (featureNames.isEmpty()) {
            throw new IllegalArgumentException("no feature columns left after removing " + excluded);
        }
        this.numeric = new boolean[featureNames.size()];
        this.featureColumns = new int[featureNames.size()];
        for (int f = 0; f < featureNames.size(); f++) {
            numeric[f] = kinds.get(featureNames.get(f)) == ColumnKind.NUMERIC;
            featureColumns[f] = table.columnIndex(featureNames.get(f));
        }
    }

    /** Number of rows. */
    public int size() {
        return table.size();
    }

    /** A row's cells. */
    public String[] row(int i) {
        return table.rows().get(i);
    }

    /** A row's id (its 1-based line number when the table has no id column). */
    public String id(int i) {
        return idColumn < 0 ? Integer.toString(i + 1) : row(i)[idColumn];
    }

    /** Whether the table has labels. */
    public boolean hasLabels() {
        return labelColumn >= 0;
    }

    /** Whether a row is normal (every row is, in a table without labels). */
    public boolean isNormal(int i) {
        return labelColumn < 0 || normalLabel.equals(row(i)[labelColumn].trim());
    }

    /** A row's group: the group column, else its label, else "normal". */
    public String group(int i) {
        if (groupColumn >= 0) {
            return row(i)[groupColumn].trim();
        }
        return labelColumn >= 0 ? row(i)[labelColumn].trim() : "normal";
    }

    /** The split part of a row. */
    public DatasetSplit.Part part(int i) {
        return DatasetSplit.partOf(id(i), isNormal(i));
    }

    /** Indexes of the rows in a part. */
    public List<Integer> rowsIn(DatasetSplit.Part part) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (part(i) == part) {
                out.add(i);
            }
        }
        return out;
    }

    /** Feature names in schema order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Which features are numeric. */
    public boolean[] numeric() {
        return numeric.clone();
    }

    /** The cell index of each feature. */
    public int[] featureColumns() {
        return featureColumns.clone();
    }

    /** Cells of the given rows. */
    public List<String[]> rows(List<Integer> indexes) {
        List<String[]> out = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            out.add(row(i));
        }
        return out;
    }
}
