package io.recon.cli;

import io.recon.cli.args.CommandArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.feature.ValueKind;

/**
 * The column kinds a user declared to {@code train}: the {@code --counts}, {@code --sizes},
 * {@code --durations}, {@code --numbers} and {@code --categorical} flags, and a {@code --schema}
 * JSON file mapping column names to kinds, e.g. {@code {"bytes": "size", "dport": "category"}}.
 * A column declared twice with different kinds is an error; undeclared columns are inferred.
 */
final class KindDeclarations {

    /** Flag name to the kind it declares. */
    static final Map<String, ValueKind> FLAGS = flags();

    private KindDeclarations() {
    }

    /** The declared kinds, by column name, in the order given. */
    static Map<String, ValueKind> from(CommandArgs a, ObjectMapper mapper) {
        Map<String, ValueKind> kinds = new LinkedHashMap<>();
        if (a.has("schema")) {
            Path file = Path.of(a.get("schema", null));
            JsonNode root;
            try {
                root = mapper.readTree(file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema file " + file, e);
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("schema file " + file
                        + " must be a JSON object of column name to kind, e.g. {\"bytes\": \"size\"}");
            }
            root.fields().forEachRemaining(e -> declare(kinds, e.getKey(), ValueKind.parse(e.getValue().asText()),
                    "schema file"));
        }
        FLAGS.forEach((flag, kind) -> {
            for (String column : a.list(flag)) {
                declare(kinds, column, kind, "--" + flag);
            }
        });
        return kinds;
    }

    private static void declare(Map<String, ValueKind> kinds, String column, ValueKind kind, String source) {
        ValueKind before = kinds.putIfAbsent(column, kind);
        if (before != null && before != kind) {
            throw new IllegalArgumentException("column '" + column + "' is declared both a " + before.label()
                    + " and (by " + source + ") a " + kind.label());
        }
    }

    /** Columns declared with a numeric kind. */
    static List<String> numericColumns(Map<String, ValueKind> kinds) {
        return kinds.entrySet().stream().filter(e -> e.getValue().numeric()).map(Map.Entry::getKey).toList();
    }

    /** Columns declared categorical. */
    static List<String> categoricalColumns(Map<String, ValueKind> kinds) {
        return kinds.entrySet().stream().filter(e -> !e.getValue().numeric()).map(Map.Entry::getKey).toList();
    }

    private static Map<String, ValueKind> flags() {
        Map<String, ValueKind> m = new LinkedHashMap<>();
        m.put("counts", ValueKind.COUNT);
        m.put("sizes", ValueKind.SIZE);
        m.put("durations", ValueKind.DURATION);
        m.put("numbers", ValueKind.NUMBER);
        m.put("categorical", ValueKind.CATEGORY);
        return m;
    }
}
