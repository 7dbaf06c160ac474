package io.recon.cli.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The head every image benchmark report starts with: what it is, when, and the command that reran it. */
final class BenchmarkReport {

    private BenchmarkReport() {
    }

    /** The command line that reproduces a run of {@code name} with {@code args}. */
    static String command(String name, String[] args) {
        return "java -Dai.djl.pytorch.num_threads=2 -jar target/quarkus-app/quarkus-run.jar " + name + " "
                + String.join(" ", args);
    }

    /** A report holding {@code benchmark}, {@code date} and {@code command}. */
    static ObjectNode start(ObjectMapper mapper, String title, String command) {
        ObjectNode report = mapper.createObjectNode();
        report.put("benchmark", title);
        report.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.put("command", command);
        return report;
    }
}
