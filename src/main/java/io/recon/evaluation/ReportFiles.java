package io.recon.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a benchmark report twice: JSON for tools, Markdown for people. */
public final class ReportFiles {

    private ReportFiles() {
    }

    /** Writes {@code <name>.json} and {@code <name>.md} into {@code dir}; returns the JSON path. */
    public static Path write(ObjectMapper mapper, Path dir, String name, ObjectNode report, String markdown,
            PrintStream out) {
        try {
            Files.createDirectories(dir);
            Path json = dir.resolve(name + ".json");
            mapper.writeValue(json.toFile(), report);
            Files.writeString(dir.resolve(name + ".md"), markdown);
            out.println("report written to " + json + " and " + name + ".md");
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir, e);
        }
    }
}
