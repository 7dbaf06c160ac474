package io.recon.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options of the train and evaluate commands. Unknown options are errors
 * (a typo must not silently train with a default).
 */
final class CommandArgs {

    private final Map<String, String> values = new LinkedHashMap<>();

    private CommandArgs() {
    }

    /** Parses options, accepting only {@code allowed} names (without the dashes). */
    static CommandArgs parse(String[] args, Set<String> allowed) {
        CommandArgs parsed = new CommandArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name value)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; known: --"
                        + String.join(", --", allowed.stream().sorted().toList()));
            }
            parsed.values.put(name, value);
        }
        return parsed;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("option --" + name + " is required");
        }
        return v;
    }

    int intValue(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double doubleValue(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    long longValue(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    }

    /** A comma-separated list; empty when absent. */
    List<String> list(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
