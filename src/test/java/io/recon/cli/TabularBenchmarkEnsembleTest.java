package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code tabular-benchmark --vae-ensemble 2} on a small table: a second VAE is trained with the next
 * seed beside the first, and their mean -IWAE is judged on the same test rows as every other method.
 */
@Tag("plain-djl")
@Tag("training")
class TabularBenchmarkEnsembleTest {

    @TempDir
    Path dir;

    @Test
    void theEnsembleIsTrainedWithTheNextSeedAndJudgedOnTheSameRows() throws Exception {
        Path tables = Files.createDirectories(dir.resolve("tables"));
        Files.writeString(tables.resolve("rules.tsv"), "table\trows\tanomalies\trule\tsource\n"
                + "pairs\t900\t100\tpoints off the line\tmade up by this test\n");
        StringBuilder csv = new StringBuilder("id,label,x,y\n");
        Random random = new Random(7);
        for (int i = 0; i < 900; i++) {
            double x = random.nextGaussian();
            boolean anomaly = i % 9 == 0;
            double y = x + (anomaly ? 1.5 : 0) + random.nextGaussian() * 0.1; // anomalies: off the line
            csv.append(String.format(Locale.ROOT, "r%d,%s,%.4f,%.4f%n", i, anomaly ? "anomaly" : "normal", x, y));
        }
        Files.writeString(tables.resolve("pairs.csv"), csv.toString());

        Path report = new TabularBenchmarkCommand(new ObjectMapper(), new PrintStream(new ByteArrayOutputStream()))
                .run(new String[] {"--tables", tables.toString(), "--epochs", "30", "--transformer-epochs", "0",
                    "--vae-ensemble", "2", "--work", dir.resolve("work").toString(), "--out",
                    dir.resolve("out").toString()});

        JsonNode methods = new ObjectMapper().readTree(report.toFile()).path("tables").get(0).path("methods");
        assertTrue(Files.isDirectory(dir.resolve("work/test/pairs/bundle-seed-43")), "the second VAE, seed 43");
        double ensemble = methods.path("vae-iwae-ensemble").path("auroc").asDouble();
        assertTrue(ensemble > 0.9, "two VAEs find the points off the line: " + methods);
        assertTrue(methods.path("vae-iwae-ensemble").path("seconds").asDouble()
                > methods.path("vae-iwae").path("seconds").asDouble(), "its time counts both VAEs");
    }
}
