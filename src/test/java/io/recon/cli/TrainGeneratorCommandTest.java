package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.bundle.GeneratorBundle;
import io.recon.bundle.GeneratorKind;
import io.recon.bundle.BundleDigests;
import io.recon.bundle.InvalidBundleException;
import io.recon.data.DatasetSplit;
import io.recon.data.FeatureRows;
import io.recon.nn.gan.TabularGan;

/**
 * {@code train-generator} on a small table of two traffic classes (web: big tcp transfers, dns: small
 * udp exchanges) and a few attacks: the bundle's manifest, its digests, loading it back and sampling
 * it, and {@code synthetic-eval} judging its rows and oversampling the rare class with them. One
 * short training run (CTGAN, 20 epochs of 4 steps) for all of them.
 */
@Tag("plain-djl")
@Tag("training")
class TrainGeneratorCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path csv;
    static Path bundle;
    static String log;
    static String[] args;

    @BeforeAll
    static void train() throws Exception {
        csv = dir.resolve("flows.csv");
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder("id,ts,generator,label,bytes,packets,proto\n");
        for (int i = 0; i < 800; i++) {
            boolean dns = i % 7 == 0;
            double packets = dns ? 2 : Math.round(Math.exp(2 + r.nextDouble()));
            double bytes = dns ? 120 + 30 * r.nextDouble() : packets * (900 + 80 * r.nextGaussian());
            sb.append(String.format(java.util.Locale.ROOT, "n%d,%d,%s,normal,%.1f,%.0f,%s%n", i, i,
                    dns ? "dns" : "web", bytes, packets, dns || r.nextDouble() < 0.05 ? "udp" : "tcp"));
        }
        for (int i = 0; i < 40; i++) {
            sb.append(String.format(java.util.Locale.ROOT, "a%d,%d,scan,attack,%.1f,1,tcp%n", i, i,
                    40 + 10 * r.nextDouble()));
        }
        Files.writeString(csv, sb.toString());
        bundle = dir.resolve("bundle");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        args = new String[] {"--data", csv.toString(), "--out", bundle.toString(), "--epochs", "20",
            "--batch-size", "100", "--seed", "3", "--progress-every", "5"};
        new TrainGeneratorCommand(MAPPER, new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
        log = out.toString(StandardCharsets.UTF_8);
    }

    /**
     * A step skipped for a non-finite gradient is reported after the last epoch's line, naming its
     * batch loss: the summary still takes the epoch's line and losses (a CI run had the skip line
     * recorded as the final progress line).
     */
    @Test
    void theSummaryTakesTheLastEpochLineNotASkippedStepReport() {
        JsonNode s = new TrainGeneratorCommand(MAPPER, new PrintStream(new ByteArrayOutputStream())).summary(2.0, null,
                List.of("epoch  19/20  critic loss -0.41  generator loss 0.52",
                        "epoch  20/20  critic loss -0.40  generator loss 0.50",
                        "generator: 1 of 80 optimiser steps skipped (non-finite gradients); first: step 72 (epoch 18): "
                                + "NaN in the gradient of 01residual0_01linear_weight, batch loss -0.337615"));
        assertEquals("epoch  20/20  critic loss -0.40  generator loss 0.50", s.path("finalProgressLine").asText());
        assertEquals(-0.40, s.path("finalLosses").path("critic").asDouble(), 1e-12);
        assertEquals(0.50, s.path("finalLosses").path("generator").asDouble(), 1e-12);
    }

    @Test
    void theManifestSaysWhatTheGeneratorLearnedFromAndHow() throws Exception {
        JsonNode m = MAPPER.readTree(bundle.resolve("manifest.json").toFile());
        assertEquals("ctgan", m.path("kind").asText());
        assertEquals(GeneratorBundle.FORMAT, m.path("format").asInt());
        // The features in the table's order: ts is ignored, id, label and generator are roles.
        JsonNode schema = m.path("schema");
        assertEquals(List.of("bytes", "packets", "proto"), names(schema));
        assertEquals("numeric", schema.get(0).path("type").asText());
        assertTrue(schema.get(0).path("min").asDouble() >= 120 && schema.get(0).path("max").asDouble() > 5000,
                schema.toString());
        assertEquals("categorical", schema.get(2).path("type").asText());
        assertEquals("[\"tcp\",\"udp\"]", schema.get(2).path("categories").toString());
        // The classes and their rows: the normal rows of the train split, and only those.
        Map<String, Integer> expected = new TreeMap<>();
        for (int i = 0; i < 800; i++) {
            if (DatasetSplit.partOf("n" + i, true) == DatasetSplit.Part.TRAIN) {
                expected.merge(i % 7 == 0 ? "dns" : "web", 1, Integer::sum);
            }
        }
        Map<String, Integer> classes = new TreeMap<>();
        m.path("classes").forEach(c -> classes.put(c.path("name").asText(), c.path("trainingRows").asInt()));
        assertEquals(expected, classes);
        assertEquals("generator", m.path("groupColumn").asText());
        JsonNode t = m.path("training");
        assertEquals(csv.toString(), t.path("dataFile").asText());
        assertEquals(BundleDigests.sha256(csv), t.path("dataSha256").asText());
        assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), t.path("rows").asInt());
        assertEquals(DatasetSplit.DESCRIPTION, t.path("split").asText());
        assertEquals("normal rows of the train split only", t.path("rowsUsed").asText());
        // The settings it ran with, and how it went.
        assertEquals(20, m.path("settings").path("epochs").asInt());
        assertEquals(100, m.path("settings").path("batchSize").asInt());
        assertEquals(3, m.path("settings").path("seed").asLong());
        JsonNode s = m.path("trainingSummary");
        assertTrue(s.path("seconds").asDouble() > 0, s.toString());
        assertTrue(s.path("finalLosses").path("critic").isNumber(), s.toString());
        assertTrue(s.path("finalLosses").path("generator").isNumber(), s.toString());
        assertTrue(s.path("finalProgressLine").asText().contains("epoch  20/20"), s.toString());
        assertEquals(20 * (expected.values().stream().mapToInt(Integer::intValue).sum() / 100),
                s.path("report").path("generatorSteps").path("steps").asInt(), s.toString());
        assertTrue(s.path("report").path("criticSteps").has("skipped"), s.toString());
        assertEquals(TabularGan.LAYOUT_FILE, m.path("modelFile").asText());
        // The command that rebuilds it: as given, the kind's default kind added.
        assertEquals("java -jar target/quarkus-app/quarkus-run.jar train-generator " + String.join(" ", args)
                + " --kind ctgan", m.path("rebuild").asText());
        // Digests of every file the model needs, as model bundles carry them.
        Map<String, String> files = new TreeMap<>();
        m.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
        assertTrue(files.containsKey(TabularGan.LAYOUT_FILE), files.toString());
        assertTrue(files.keySet().stream().anyMatch(f -> f.startsWith("ctgan-generator") && f.endsWith(".params")),
                files.toString());
        BundleDigests.verify(bundle, files, BundleDigests.required(bundle, TabularGan.LAYOUT_FILE));
    }

    @Test
    void theGeneratorsOwnProgressLinesAreShown() {
        assertTrue(log.contains("normal rows of the train split"), log);
        assertTrue(log.contains("epoch   1/20") && log.contains("epoch  20/20"), log);
        assertTrue(log.contains("critic loss") && log.contains("wrote ctgan bundle"), log);
    }

    @Test
    void theBundleLoadsBackAndSamplesRowsThatFitItsSchema() throws Exception {
        JsonNode schema = MAPPER.readTree(bundle.resolve("manifest.json").toFile()).path("schema");
        // The table's columns in another order: rows come back in the table's order.
        FeatureRows table = new FeatureRows(List.of("proto", "bytes", "packets"), new boolean[] {false, true, true},
                List.of());
        try (GeneratorBundle.Loaded loaded = GeneratorBundle.load(bundle, GeneratorKind.CTGAN, table, MAPPER)) {
            assertEquals(List.of("dns", "web"), loaded.generator().classes());
            FeatureRows rows = loaded.sample("dns", 50, 1);
            assertEquals(50, rows.size());
            assertEquals(table.names(), rows.names());
            for (String[] row : rows.rows()) {
                assertTrue(List.of("tcp", "udp").contains(row[0]), String.join(",", row));
                for (int c = 1; c <= 2; c++) {
                    double v = Double.parseDouble(row[c]);
                    JsonNode column = schema.get(c - 1);
                    assertTrue(v >= column.path("min").asDouble() && v <= column.path("max").asDouble(),
                            String.join(",", row));
                }
            }
        }
    }

    @Test
    void aTableOfOtherFeaturesOrAChangedFileIsRefused() throws Exception {
        FeatureRows other = new FeatureRows(List.of("bytes", "packets", "port"), new boolean[] {true, true, false},
                List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorBundle.load(bundle, GeneratorKind.CTGAN, other, MAPPER));
        assertTrue(e.getMessage().contains("other features") && e.getMessage().contains("[port]")
                && e.getMessage().contains("[proto]"), e.getMessage());
        FeatureRows kinds = new FeatureRows(List.of("bytes", "packets", "proto"), new boolean[] {true, false, false},
                List.of());
        e = assertThrows(IllegalArgumentException.class,
                () -> GeneratorBundle.load(bundle, GeneratorKind.CTGAN, kinds, MAPPER));
        assertTrue(e.getMessage().contains("packets (categorical here)"), e.getMessage());

        Path copy = dir.resolve("changed");
        Files.createDirectories(copy);
        try (var files = Files.list(bundle)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Files.writeString(copy.resolve(TabularGan.LAYOUT_FILE), " ", java.nio.file.StandardOpenOption.APPEND);
        FeatureRows same = new FeatureRows(List.of("bytes", "packets", "proto"), new boolean[] {true, true, false},
                List.of());
        InvalidBundleException changed = assertThrows(InvalidBundleException.class,
                () -> GeneratorBundle.load(copy, GeneratorKind.CTGAN, same, MAPPER));
        assertTrue(changed.getMessage().contains(TabularGan.LAYOUT_FILE), changed.getMessage());
    }

    @Test
    void syntheticEvalJudgesItsRowsAndOversamplesTheRareClassWithThem() throws Exception {
        Path report = new SyntheticEvaluateCommand(MAPPER, new PrintStream(new ByteArrayOutputStream())).run(
                new String[] {"--data", csv.toString(), "--generators", "smote,ctgan", "--ctgan-model",
                    bundle.toString(), "--rows", "300", "--two-sample-rows", "100", "--tstr-epochs", "2",
                    "--oversample-generators", "smote,ctgan", "--oversample-rows", "50", "--holdout-data",
                    dir.resolve("absent.csv").toString(), "--out", dir.resolve("report").toString()});
        JsonNode r = MAPPER.readTree(report.toFile());
        JsonNode ctgan = r.path("generators").path("ctgan");
        assertEquals(300, ctgan.path("rows").asInt(), 1); // each class its rounded share
        assertEquals(0, ctgan.path("classesLeftOut").size());
        assertEquals(3, ctgan.path("columnFidelity").size());
        assertTrue(ctgan.path("trainOnSyntheticAuroc").isNumber(), ctgan.toString());
        JsonNode o = r.path("oversampling");
        assertEquals("dns", o.path("class").asText());
        assertEquals(50, o.path("syntheticRowsAdded").asInt());
        for (String g : List.of("smote", "ctgan")) {
            assertEquals(r.path("trainingRows").asInt() + 50,
                    o.path("withSyntheticRows").path(g).path("trainingRows").asInt(), g);
        }
        String md = Files.readString(dir.resolve("report").resolve("synthetic-telemetry.md"));
        assertTrue(md.contains("| ctgan |") && md.contains("real + smote rows of the class")
                && md.contains("real + ctgan rows of the class"), md);
    }

    @Test
    void aTableWithoutAGroupColumnIsRefused() throws Exception {
        Path plain = dir.resolve("plain.csv");
        Files.writeString(plain, "id,bytes,proto\n1,10,tcp\n2,20,udp\n3,30,tcp\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainGeneratorCommand(MAPPER, new PrintStream(new ByteArrayOutputStream())).run(
                        new String[] {"--data", plain.toString(), "--out", dir.resolve("never").toString()}));
        assertTrue(e.getMessage().contains("group column") && e.getMessage().contains("--group-column"),
                e.getMessage());
        assertTrue(!Files.exists(dir.resolve("never")));
    }

    @Test
    void anUnknownKindIsABadUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainGeneratorCommand(MAPPER, new PrintStream(new ByteArrayOutputStream())).run(
                        new String[] {"--data", csv.toString(), "--kind", "gan"}));
        assertTrue(e.getMessage().contains("ctgan"), e.getMessage());
    }

    @Test
    void trainAddsSyntheticRowsOnlyWhenToldAndItsManifestSaysSo() throws Exception {
        Path real = dir.resolve("vae-real");
        Path mixed = dir.resolve("vae-mixed");
        String[] common = {"--data", csv.toString(), "--epochs", "2", "--iwae-samples", "2"};
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new TrainCommand(MAPPER, quiet).run(concat(common, "--out", real.toString()));
        new TrainCommand(MAPPER, quiet).run(concat(common, "--out", mixed.toString(), "--synthetic-generator",
                bundle.toString(), "--synthetic-rows", "dns=30,web=20"));

        JsonNode realTraining = MAPPER.readTree(real.resolve("manifest.json").toFile()).get("training");
        JsonNode mixedTraining = MAPPER.readTree(mixed.resolve("manifest.json").toFile()).get("training");
        assertTrue(realTraining.path("syntheticRows").isMissingNode(), realTraining.toString());
        JsonNode synthetic = mixedTraining.get("syntheticRows");
        assertEquals("ctgan", synthetic.get("generator").asText());
        assertEquals(MAPPER.readTree(bundle.resolve("manifest.json").toFile()).get("version").asText(),
                synthetic.get("version").asText());
        assertEquals(30, synthetic.at("/rowsByClass/dns").asInt());
        assertEquals(20, synthetic.at("/rowsByClass/web").asInt());
        assertEquals(realTraining.get("trainRows").asInt() + 50, mixedTraining.get("trainRows").asInt());
        assertEquals(realTraining.get("calibrationRows").asInt(), mixedTraining.get("calibrationRows").asInt(),
                "the threshold is set on real rows only");
        assertThrows(IllegalArgumentException.class, () -> new TrainCommand(MAPPER, quiet).run(concat(common,
                "--out", dir.resolve("vae-bad").toString(), "--synthetic-generator", bundle.toString(),
                "--synthetic-rows", "scan=10")), "a class the generator never learned");
        assertThrows(IllegalArgumentException.class, () -> new TrainCommand(MAPPER, quiet).run(concat(common,
                "--out", dir.resolve("vae-bad").toString(), "--synthetic-rows", "dns=10")), "rows need a generator");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<String> names(JsonNode columns) {
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.path("name").asText()));
        return out;
    }
}
