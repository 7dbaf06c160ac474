package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain DJL (the vae-prior generator loads the bundled model): a JVM of its own, see pom.xml. */
@Tag("plain-djl")
class SyntheticEvaluateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void judgesSmoteRowsOfTheRecordedFlowsAgainstHeldOutOnesAndSaysWhatNoiseAloneGives(@TempDir Path out)
            throws Exception {
        Path report = command().run(new String[] {"--data", "tests/data/telemetry/flows.csv.gz", "--rows", "1500",
                "--two-sample-rows", "600", "--tstr-epochs", "3", "--out", out.toString()});
        JsonNode r = JSON.readTree(report.toFile());
        JsonNode real = r.path("generators").path("real");
        JsonNode smote = r.path("generators").path("smote");
        assertEquals(1500, smote.path("rows").asInt(), 60); // each class its rounded share
        assertTrue(Math.abs(real.path("twoSampleAuroc").asDouble() - 0.5) < 0.1, real.toString());
        assertEquals(45, smote.path("columnFidelity").size());
        for (JsonNode v : smote.path("columnFidelity")) {
            assertTrue(v.asDouble() >= 0 && v.asDouble() <= 1, smote.toString());
        }
        assertTrue(smote.path("twoSampleAuroc").asDouble() < 0.8, smote.toString());
        // Interpolating between training rows lands closer to them than new real flows do.
        assertTrue(smote.path("closestTrainingRow").path("ratio").asDouble() < 1, smote.toString());
        assertTrue(Files.readString(out.resolve("synthetic-telemetry.md")).contains("| smote |"));
        // The bundled VAE's prior through its decoder: rows of the same columns, judged the same way.
        JsonNode prior = r.path("generators").path("vae-prior");
        assertEquals(1500, prior.path("rows").asInt());
        assertEquals(45, prior.path("columnFidelity").size());
        assertTrue(prior.path("twoSampleAuroc").asDouble() > 0.5, prior.toString());
        // Train on each generator's rows, test on the real test split, beside training on real rows.
        double real3 = r.path("trainOnReal").path("auroc").asDouble();
        assertTrue(real3 > 0.5 && real3 <= 1, r.path("trainOnReal").toString());
        assertEquals(smote.path("trainOnSyntheticAuroc").asDouble() - real3,
                smote.path("trainOnSyntheticMinusReal").asDouble(), 2e-4);
        // The rarest normal class, oversampled: the same evaluation rows judge both models.
        JsonNode o = r.path("oversampling");
        assertEquals("iperf3-bulk", o.path("class").asText());
        assertEquals(4000, o.path("realOnly").path("trainingRows").asInt());
        assertEquals(4200, o.path("withSyntheticRows").path("smote").path("trainingRows").asInt());
        assertTrue(o.path("classRows").asInt() > 0 && o.path("attackRows").asInt() > 0, o.toString());
        // The same seed, the same figures.
        Path again = command().run(new String[] {"--data", "tests/data/telemetry/flows.csv.gz", "--rows", "1500",
                "--two-sample-rows", "600", "--tstr-epochs", "3", "--out", out.resolve("again").toString()});
        com.fasterxml.jackson.databind.node.ObjectNode first = smote.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode second = JSON.readTree(again.toFile()).path("generators")
                .path("smote").deepCopy();
        first.remove("seconds");
        second.remove("seconds");
        assertEquals(first, second);
    }

    @Test
    void anUnknownGeneratorIsABadUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> command().run(
                new String[] {"--data", "tests/data/telemetry/flows.csv.gz", "--generators", "gan"}));
        assertTrue(e.getMessage().contains("smote"), e.getMessage());
    }

    private static SyntheticEvaluateCommand command() {
        return new SyntheticEvaluateCommand(new ObjectMapper(), new PrintStream(new ByteArrayOutputStream()));
    }
}
