package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.evaluation.EvaluationReport;
import io.recon.evaluation.ScoreEvaluation;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;
import io.recon.nn.vae.ScoredRow;

/**
 * The train and evaluate commands on a user's own table: a CSV with numeric and categorical
 * columns, a label column and an extra column to ignore. Normal rows follow a correlated
 * structure (packets track bytes); anomalies break it or use an unseen protocol.
 */
@Tag("plain-djl")
@Tag("training")
class TrainAndEvaluateCommandTest {

    @TempDir
    static Path dir;
    static Path csv;
    static Path bundle;
    static EvaluationReport report;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void trainAndEvaluate() throws Exception {
        csv = dir.resolve("flows.csv");
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder("row,when,kind,bytes,packets,proto,ratio,outcome\n");
        for (int i = 0; i < 4000; i++) {
            double packets = Math.exp(1 + 2 * r.nextDouble());
            double bytes = packets * (400 + 60 * r.nextGaussian());
            String proto = r.nextDouble() < 0.8 ? "tcp" : "udp";
            sb.append(String.format("n%d,%d,web,%.1f,%.0f,%s,%.3f,ok%n", i, i, bytes, packets, proto,
                    0.3 + 0.05 * r.nextGaussian()));
        }
        for (int i = 0; i < 300; i++) {
            boolean scan = i % 2 == 0;
            double packets = scan ? 1 + r.nextInt(2) : Math.exp(1 + 2 * r.nextDouble());
            double bytes = scan ? 40 + r.nextInt(20) : packets * 4000;
            sb.append(String.format("a%d,%d,%s,%.1f,%.0f,%s,%.3f,bad%n", i, i, scan ? "scan" : "exfil", bytes,
                    packets, scan ? "icmp" : "tcp", 0.3 + 0.05 * r.nextGaussian()));
        }
        Files.writeString(csv, sb.toString());
        bundle = dir.resolve("bundle");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new TrainCommand(MAPPER, quiet).run(new String[] {"--data", csv.toString(), "--name", "test-vae", "--out",
            bundle.toString(), "--id-column", "row", "--label-column", "outcome", "--normal-label", "ok",
            "--group-column", "kind", "--ignore", "when", "--epochs", "25", "--device", "cpu"});
        report = new EvaluateCommand(MAPPER, quiet).run(new String[] {"--model", bundle.toString(), "--device", "cpu"});
    }

    @Test
    void explanationBenchmarkRanksAPlantedCauseAboveChance() throws Exception {
        Path json = new ExplanationBenchmarkCommand(MAPPER, new PrintStream(new ByteArrayOutputStream())).run(
                new String[] {"--model", bundle.toString(), "--rows", "200", "--transformer-epochs", "20", "--out",
                    dir.resolve("explain").toString()});
        JsonNode report = MAPPER.readTree(json.toFile());
        assertEquals("validation", report.get("split").asText(), "methods are compared on validation by default");
        assertEquals("explanations-telemetry-validation.json", json.getFileName().toString(),
                "a validation run never overwrites the test report");
        JsonNode results = report.get("results");
        // Every normal row is of one class here: no other class's value to plant.
        assertEquals(0, results.at("/value from another class/rows").asInt());
        JsonNode scaled = results.get("scaled x10");
        assertEquals(200, scaled.get("rows").asInt());
        int alerting = scaled.get("alertingRows").asInt();
        assertTrue(alerting > 0 && alerting <= 200, alerting + " of the scaled rows alert");
        for (String method : ExplanationBenchmarkCommand.METHODS) {
            double hit1 = scaled.at("/" + method + "/hitAt1").asDouble();
            double hit3 = scaled.at("/" + method + "/hitAt3").asDouble();
            // Four features: a guess ranks the cause first a quarter of the time, in the top three
            // three quarters. Measured with the train command's settings of 2026-12-04: 0.99-1.0 at
            // hit@1 for every method but the VAE's share, 0.74, and 1.0 at hit@3 for all.
            assertTrue(hit1 > 0.6, method + " hit@1 " + hit1 + " on scaled features");
            assertTrue(hit3 > 0.95 && hit3 >= hit1, method + " hit@3 " + hit3 + " on scaled features");
            assertTrue(scaled.at("/" + method + "/seconds").isNumber(), method + " is timed");
            assertEquals(scaled.get("alertingRows").asInt(), scaled.at("/" + method + "/alerting/rows").asInt(),
                    method + " is judged on the rows that alert too");
            assertEquals(200 - alerting, scaled.at("/" + method + "/notAlerting/rows").asInt(),
                    method + " is judged on the rows that do not alert apart");
            assertTrue(report.at("/methodSeconds/" + method).isNumber(), method + " total time");
        }
        assertTrue(Files.readString(json.resolveSibling("explanations-telemetry-validation.md"))
                .contains("(no row could be corrupted this way)"));
    }

    @Test
    void bundleCarriesItsManifest() throws Exception {
        JsonNode m = MAPPER.readTree(bundle.resolve("manifest.json").toFile());
        assertEquals("test-vae", m.path("name").asText());
        assertEquals(4, m.path("inputSchema").path("features").size(), "bytes, packets, proto, ratio");
        assertEquals("LOG1P", m.path("inputSchema").path("features").get(0).path("transform").asText());
        assertEquals(64, m.path("training").path("dataSha256").asText().length());
        assertTrue(m.path("calibration").path("threshold").isNumber());
        assertTrue(m.path("metrics").path("evaluation").path("vae-iwae").path("auroc").isNumber(), "evaluate writes metrics back");
        assertTrue(m.path("rebuild").asText().contains("train --data"));
        assertTrue(Files.exists(bundle.resolve("calibration.json")));
        assertTrue(Files.exists(bundle.resolve("evaluation.md")));
    }

    @Test
    void vaeSeparatesTheAnomaliesAndReportsBaselines() {
        Map<String, ScoreEvaluation> byName = new java.util.HashMap<>();
        report.scorers().forEach(s -> byName.put(s.scorer(), s));
        assertTrue(byName.keySet().containsAll(List.of("vae-iwae", "vae-negative-elbo", "vae-reconstruction-error",
                "robust-z", "isolation-forest", "knn", "lof")), byName.keySet().toString());
        assertTrue(byName.get("vae-iwae").auroc() > 0.95, "iwae AUROC " + byName.get("vae-iwae").auroc());
        // The neighbour baselines see the scans and exfiltration too (they are far from every normal row).
        assertTrue(byName.get("knn").auroc() > 0.9, "kNN AUROC " + byName.get("knn").auroc());
        assertTrue(byName.get("lof").auroc() > 0.9, "LOF AUROC " + byName.get("lof").auroc());
        // The masked-feature transformer, fitted by evaluate on the same rows: packets predict bytes.
        assertTrue(byName.get("masked-feature-transformer").auroc() > 0.95,
                "transformer AUROC " + byName.get("masked-feature-transformer").auroc());
        // Both as one score, each standardised on the calibration split's normal rows.
        assertTrue(byName.get("vae-iwae+transformer").auroc() > 0.95,
                "VAE + transformer AUROC " + byName.get("vae-iwae+transformer").auroc());
        assertEquals(300, report.anomalousRows());
        assertTrue(report.normalRows() > 600 && report.normalRows() < 1000, "20% of 4000 normals in test");
        assertTrue(byName.get("vae-iwae").byGroup().keySet().containsAll(List.of("scan", "exfil")));
        // The deployed threshold was set on other normals: its FPR on the test normals is near 1%.
        assertTrue(report.operatingPoint().falsePositiveRate() < 0.04, "FPR " + report.operatingPoint());
    }

    @Test
    void trainsOnJsonLinesWithoutALabelColumn() throws Exception {
        // A user's own export: JSON lines, no label (every row normal), schema inferred.
        Path jsonl = dir.resolve("export.jsonl");
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            double packets = Math.exp(1 + 2 * r.nextDouble());
            sb.append(String.format(java.util.Locale.ROOT,
                    "{\"flow\":\"f%d\",\"bytes\":%.1f,\"packets\":%.0f,\"proto\":\"%s\"}%n", i,
                    packets * 400, packets, i % 5 == 0 ? "udp" : "tcp"));
        }
        Files.writeString(jsonl, sb.toString());
        Path out = dir.resolve("jsonl-bundle");
        new TrainCommand(MAPPER, new PrintStream(new ByteArrayOutputStream())).run(new String[] {"--data",
            jsonl.toString(), "--id-column", "flow", "--out", out.toString(), "--epochs", "5", "--device", "cpu"});
        JsonNode m = MAPPER.readTree(out.resolve("manifest.json").toFile());
        assertEquals(3, m.path("inputSchema").path("features").size(), "bytes, packets, proto");
        assertEquals("CATEGORICAL", m.path("inputSchema").path("features").get(2).path("kind").asText());
        assertTrue(m.path("inputSchema").path("labelColumn").isMissingNode(), "no label column");
        assertEquals(1500, m.path("training").path("trainRows").asInt() + m.path("training").path("calibrationRows")
                .asInt() + m.path("training").path("testRows").asInt());
    }

    @Test
    void iwaeBoundIsTighterThanTheElboOnAverage() throws Exception {
        try (ModelBundle b = ModelBundle.load(bundle, Device.cpu(), MAPPER)) {
            assertEquals("test-vae", b.manifest().name());
            List<float[]> rows = new java.util.ArrayList<>();
            Random r = new Random(1);
            for (int i = 0; i < 200; i++) {
                double packets = Math.exp(1 + 2 * r.nextDouble());
                rows.add(b.encoder().encode(Map.of("bytes", packets * 400, "packets", (double) Math.round(packets),
                        "proto", "tcp", "ratio", 0.3)));
            }
            double iwae = 0;
            double elbo = 0;
            for (ScoredRow s : b.scorer().score(rows)) {
                iwae += s.scores().iwae();
                elbo += s.scores().negativeElbo();
            }
            // -IWAE_K <= -ELBO in expectation: the importance-weighted bound is tighter.
            assertTrue(iwae <= elbo + 1e-3 * Math.abs(elbo), "mean -IWAE " + iwae / 200 + " vs -ELBO " + elbo / 200);
            // An independent plain-Java implementation of the same network and scores agrees.
            io.recon.nn.vae.PlainJavaVaeScorer plain = new io.recon.nn.vae.PlainJavaVaeScorer(
                    b.block(), b.manifest().scoring().iwaeSamples(),
                    b.manifest().scoring().samplesSeed());
            List<ScoredRow> djl = b.scorer().score(rows.subList(0, 20));
            for (int i = 0; i < 20; i++) {
                var p = plain.score(rows.get(i));
                var d = djl.get(i).scores();
                assertEquals(d.reconstructionError(), p.reconstructionError(), 1e-3 + 1e-4 * Math.abs(p.reconstructionError()));
                assertEquals(d.negativeElbo(), p.negativeElbo(), 1e-2 + 1e-4 * Math.abs(p.negativeElbo()));
                assertEquals(d.iwae(), p.iwae(), 1e-2 + 1e-4 * Math.abs(p.iwae()));
            }
            // Same input, same score: the scoring noise is fixed.
            assertEquals(b.scorer().score(rows.subList(0, 1)).get(0).scores(),
                    b.scorer().score(rows.subList(0, 1)).get(0).scores());
        }
        assertTrue(Files.readString(bundle.resolve(ModelManifest.FILE)).contains("\"alertScore\" : \"iwae\""));
    }

}
