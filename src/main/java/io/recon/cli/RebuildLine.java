package io.recon.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.recon.cli.args.CommandArgs;

/**
 * The command line a generator bundle's manifest records: the arguments as given, plus the kind,
 * folder, epochs, batch size and seed the run used where they were defaults, so that it rebuilds
 * the same bundle even after a default changes.
 */
final class RebuildLine {

    private static final String JAR = "java -jar target/quarkus-app/quarkus-run.jar train-generator";

    private RebuildLine() {
    }

    /**
     * @param settings the run's settings as JSON (their {@code epochs}, {@code batchSize} and {@code seed} are read)
     */
    static String of(String[] args, CommandArgs a, String kind, Path outDir, JsonNode settings) {
        List<String> words = new ArrayList<>(List.of(args));
        Map<String, String> used = new LinkedHashMap<>();
        used.put("kind", kind);
        used.put("out", outDir.toString());
        used.put("epochs", settings.path("epochs").asText());
        used.put("batch-size", settings.path("batchSize").asText());
        used.put("seed", settings.path("seed").asText());
        used.forEach((option, value) -> {
            if (!a.has(option) && !value.isEmpty()) {
                words.add("--" + option);
                words.add(value);
            }
        });
        return JAR + " " + String.join(" ", words.stream().map(RebuildLine::quoted).toList());
    }

    private static String quoted(String word) {
        return word.matches("[A-Za-z0-9_./:=,@+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
