package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.evaluation.EvaluationReport;
import io.recon.evaluation.ScoreEvaluation;

/**
 * {@code train} on tables that are not ours, generated here with fixed seeds: a column that is
 * non-negative in the normal rows but negative in anomalies, and a table of near-constant columns
 * whose rare rows deviate. Each trains through the real command, is evaluated on its test split,
 * and must rank its anomalies above its normals with a training loss on a sane scale.
 */
@Tag("plain-djl")
@Tag("training")
class TabularTransformsTrainingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aColumnNegativeOnlyInAnomaliesIsScoredNotRejected() throws Exception {
        Path csv = write("negative.csv", negativeInAnomalies());
        Path bundle = dir.resolve("negative");
        EvaluationReport report = trainAndEvaluate(csv, bundle);
        JsonNode delta = feature(bundle, "delta");
        assertEquals("SIGNED_LOG1P", delta.path("transform").asText(), "inferred from every row, not only normals");
        assertEquals("NUMBER", delta.path("valueKind").asText());
        assertEquals(false, delta.path("declared").asBoolean());
        assertEquals("LOG1P", feature(bundle, "bytes").path("transform").asText(), "non-negative columns as before");
        assertGood(report, bundle);
    }

    @Test
    void nearConstantColumnsDoNotDominateTheLikelihood() throws Exception {
        Path csv = write("constant.csv", nearConstantColumns());
        Path bundle = dir.resolve("constant");
        EvaluationReport report = trainAndEvaluate(csv, bundle);
        for (String column : new String[] {"urg", "rst", "ttl", "win", "frag"}) {
            double scale = feature(bundle, column).path("scale").asDouble();
            assertTrue(scale > 0 && Double.isFinite(scale), column + " scale " + scale);
        }
        assertGood(report, bundle);
    }

    @Test
    void declaredKindsAreRecordedAndAnImpossibleValueStopsTraining() throws Exception {
        Path csv = write("negative.csv", negativeInAnomalies());
        Path schema = dir.resolve("schema.json");
        Files.writeString(schema, "{\"packets\": \"count\", \"proto\": \"category\"}");
        Path bundle = dir.resolve("declared");
        new TrainCommand(MAPPER, quiet()).run(new String[] {"--data", csv.toString(), "--out", bundle.toString(),
            "--schema", schema.toString(), "--sizes", "bytes", "--numbers", "ratio", "--epochs", "2", "--device",
            "cpu"});
        assertEquals("COUNT", feature(bundle, "packets").path("valueKind").asText());
        assertTrue(feature(bundle, "packets").path("declared").asBoolean());
        assertEquals("SIZE", feature(bundle, "bytes").path("valueKind").asText());
        assertEquals("IDENTITY", feature(bundle, "ratio").path("transform").asText(), "a declared plain number");
        assertEquals("CATEGORICAL", feature(bundle, "proto").path("kind").asText());

        // Declaring the column that goes negative a size contradicts the data: say so, by name.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainCommand(MAPPER,
                quiet()).run(new String[] {"--data", csv.toString(), "--out", dir.resolve("bad").toString(),
                    "--sizes", "delta", "--epochs", "1", "--device", "cpu"}));
        assertTrue(e.getMessage().contains("'delta'") && e.getMessage().contains("size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainCommand(MAPPER, quiet()).run(new String[] {
            "--data", csv.toString(), "--counts", "bytes", "--sizes", "bytes", "--device", "cpu"}));
    }

    private static void assertGood(EvaluationReport report, Path bundle) throws Exception {
        Map<String, ScoreEvaluation> byName = new HashMap<>();
        report.scorers().forEach(s -> byName.put(s.scorer(), s));
        double auroc = byName.get("vae-iwae").auroc();
        assertTrue(auroc > 0.9, "iwae AUROC " + auroc + "; isolation forest "
                + byName.get("isolation-forest").auroc());
        JsonNode m = MAPPER.readTree(bundle.resolve("manifest.json").toFile());
        double loss = m.path("training").path("finalLoss").asDouble();
        int inputs = m.path("architecture").path("inputSize").asInt();
        // A Gaussian likelihood of standardised inputs: a few nats per input, not millions.
        assertTrue(Double.isFinite(loss) && Math.abs(loss) < 5.0 * inputs, "-ELBO per row " + loss + " for "
                + inputs + " inputs");
    }

    private EvaluationReport trainAndEvaluate(Path csv, Path bundle) {
        new TrainCommand(MAPPER, quiet()).run(new String[] {"--data", csv.toString(), "--out", bundle.toString(),
            "--epochs", "15", "--device", "cpu"});
        return new EvaluateCommand(MAPPER, quiet()).run(new String[] {"--model", bundle.toString(), "--device",
            "cpu"});
    }

    /** Flows whose "delta" is a non-negative count in normal rows and negative in half the anomalies. */
    static String negativeInAnomalies() {
        Random r = new Random(21);
        StringBuilder sb = new StringBuilder("id,label,bytes,packets,delta,ratio,proto\n");
        for (int i = 0; i < 1700; i++) {
            boolean anomaly = i >= 1500;
            double packets = Math.exp(1 + 2 * r.nextDouble());
            double bytes = packets * (400 + 60 * r.nextGaussian());
            double delta = Math.round(Math.exp(2 + 3 * r.nextDouble()));
            if (anomaly) {
                delta = i % 2 == 0 ? -1 - r.nextInt(5000) : delta;
                bytes = i % 2 == 0 ? bytes : packets * 4000;
            }
            sb.append(String.format(Locale.ROOT, "%s%d,%s,%.1f,%.0f,%.0f,%.3f,%s%n", anomaly ? "a" : "n", i,
                    anomaly ? "bad" : "normal", bytes, packets, delta, 0.3 + 0.05 * r.nextGaussian(),
                    r.nextDouble() < 0.8 ? "tcp" : "udp"));
        }
        return sb.toString();
    }

    /** Flows with five columns that are one repeated value in most rows; anomalies deviate in them. */
    static String nearConstantColumns() {
        Random r = new Random(11);
        StringBuilder sb = new StringBuilder("id,label,bytes,packets,urg,rst,ttl,win,frag\n");
        for (int i = 0; i < 1800; i++) {
            boolean anomaly = i >= 1650;
            double packets = Math.exp(1 + 2 * r.nextDouble());
            double bytes = packets * (400 + 60 * r.nextGaussian());
            int urg = r.nextDouble() < 0.02 ? 1 : 0;
            int rst = r.nextDouble() < 0.03 ? 1 + r.nextInt(2) : 0;
            int ttl = r.nextDouble() < 0.01 ? 128 : 64;
            int win = r.nextDouble() < 0.02 ? 29200 : 65535;
            double frag = r.nextDouble() < 0.02 ? 0.5 : 0;
            if (anomaly) {
                switch (i % 3) {
                    case 0 -> urg = 5 + r.nextInt(20);
                    case 1 -> rst = 40 + r.nextInt(200);
                    default -> {
                        ttl = 255;
                        win = 1024;
                    }
                }
            }
            sb.append(String.format(Locale.ROOT, "%s%d,%s,%.1f,%.0f,%d,%d,%d,%d,%.2f%n", anomaly ? "a" : "n", i,
                    anomaly ? "bad" : "normal", bytes, packets, urg, rst, ttl, win, frag));
        }
        return sb.toString();
    }

    private JsonNode feature(Path bundle, String name) throws Exception {
        for (JsonNode f : MAPPER.readTree(bundle.resolve("manifest.json").toFile()).path("inputSchema")
                .path("features")) {
            if (f.path("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no feature " + name);
    }

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
