package io.recon.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.cli.args.CommandArgs;
import io.recon.data.ColumnRoles;
import io.recon.data.LabelledTable;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.feature.ValueKind;

/**
 * The options that say what a table's columns are (id, label, group, ignored, kinds), taken by
 * every command that reads a training table: declared once here, read back into {@link ColumnRoles}.
 */
final class TableOptions {

    private TableOptions() {
    }

    /** {@code declarations} with {@code --data} and the column options added. */
    static CommandArgs.Declarations declareOn(CommandArgs.Declarations declarations) {
        return declarations
                .required("data", "FILE", "the table")
                .option("id-column", "C", null, "row id, the split key (default: id, if present)")
                .option("label-column", "C", null, "label (default: label, if present; none = all rows normal)")
                .option("normal-label", "V", "normal", "label value of normal rows")
                .option("group-column", "C", null, "attack type or traffic class column, for per-group figures "
                        + "(default: generator, if present)")
                .option("ignore", "C1,C2", null, "columns that are not features (default: ts, if present)")
                .option("categorical", "C1,C2", null, "force columns categorical (e.g. numeric port codes)")
                .option("numeric", "C1,C2", null, "require columns numeric (transform still inferred)")
                .option("counts", "C1,C2", null, "declare counts (>= 0, log-scaled; a negative value is rejected)")
                .option("sizes", "C1,C2", null, "declare sizes, e.g. bytes (>= 0, log-scaled; negatives rejected)")
                .option("durations", "C1,C2", null, "declare durations (>= 0, log-scaled; negatives rejected)")
                .option("numbers", "C1,C2", null, "declare plain numbers of either sign (no log)")
                .option("schema", "FILE", null, "JSON object of column -> count | size | duration | number | "
                        + "category (undeclared columns: kind and transform inferred from all rows)");
    }

    /** A table named by {@code --data}, read, with its columns' declared kinds and roles. */
    record Input(Path file, Table table, Map<String, ValueKind> declared, ColumnRoles roles, LabelledTable labelled) {
    }

    /** Reads the table {@code --data} names, giving its columns the roles the options say. */
    static Input read(CommandArgs a, ObjectMapper mapper) {
        Path file = Path.of(a.required("data"));
        Table table = TabularReader.read(file);
        Map<String, ValueKind> declared = KindDeclarations.from(a, mapper);
        ColumnRoles roles = roles(a, table, declared);
        return new Input(file, table, declared, roles, new LabelledTable(table, roles));
    }

    /** The columns' roles from the parsed options and the declared kinds. */
    static ColumnRoles roles(CommandArgs a, Table table, Map<String, ValueKind> declared) {
        List<String> cols = table.columns();
        String id = a.get("id-column", cols.contains("id") ? "id" : null);
        String label = a.get("label-column", cols.contains("label") ? "label" : null);
        String group = a.get("group-column", cols.contains("generator") ? "generator" : null);
        List<String> ignored = a.has("ignore") ? a.list("ignore")
                : (cols.contains("ts") ? List.of("ts") : List.of());
        List<String> numeric = new ArrayList<>(a.list("numeric"));
        numeric.addAll(KindDeclarations.numericColumns(declared));
        return new ColumnRoles(id, label, a.get("normal-label"), group, ignored,
                KindDeclarations.categoricalColumns(declared), numeric);
    }
}
