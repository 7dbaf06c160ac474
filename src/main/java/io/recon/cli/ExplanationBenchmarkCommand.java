package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.bundle.ModelBundle;
import io.recon.cli.args.CommandArgs;
import io.recon.data.DatasetSplit;
import io.recon.data.LabelledTable;
import io.recon.data.TabularReader;
import io.recon.evaluation.ReportFiles;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;
import io.recon.nn.explainer.FeatureTokens;
import io.recon.nn.explainer.MaskedFeatureModel;
import io.recon.nn.vae.ScoredRow;

/**
 * {@code explain-benchmark}: how often an explanation points at the real cause. Held-out normal
 * flows of a bundle's test split get one feature corrupted by a realistic amount (a value from
 * another traffic class, a count scaled ten times, a zeroed field, a swapped category:
 * {@link FeatureCorruption}); each method ranks the features of the corrupted row, and the report
 * gives, per corruption kind, how often the corrupted feature is ranked first (hit@1), among the
 * first three (hit@3), and the average precision of the ranking (one cause: 1 / its rank). Methods:
 * the masked-feature transformer's per-feature surprise (fitted here on the bundle's training rows)
 * and the VAE's per-feature share of its reconstruction error (what alerts carry today).
 */
public record ExplanationBenchmarkCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("explain-benchmark",
            "--model DIR [options]", "hit@1 / hit@3 of explanations against planted single-feature causes")
            .required("model", "DIR", "the VAE bundle (its training table, split and features)")
            .option("rows", "N", "500", "held-out normal rows corrupted per corruption kind")
            .option("transformer-epochs", "N", "30", "epochs of the masked-feature transformer")
            .option("seed", "N", "7", "seed of the corruptions")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("report", "NAME", "explanations-telemetry", "report file name");

    /** The methods, in report order. */
    static final List<String> METHODS = List.of("masked-feature-transformer", "vae-reconstruction-share");

    /** Reports are written indented, for people reading them. */
    public ExplanationBenchmarkCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        long started = System.nanoTime();
        try (ModelBundle bundle = ModelBundle.load(Path.of(a.required("model")), Device.cpu(), mapper)) {
            Path data = Path.of(bundle.manifest().training().dataFile());
            LabelledTable table = EvaluateCommand.columnsFor(EvaluateCommand.labelled(TabularReader.read(data),
                    bundle.manifest()), bundle.encoder());
            FeatureEncoder encoder = bundle.encoder();
            List<FeatureSpec> specs = encoder.specs();
            List<Integer> trainIdx = table.rowsIn(DatasetSplit.Part.TRAIN);
            List<Integer> heldOut = table.rowsIn(DatasetSplit.Part.TEST).stream().filter(table::isNormal).toList();
            int perKind = Math.min(a.intValue("rows"), heldOut.size());
            out.printf("%,d held-out normal rows of %s, %d features; fitting the transformer on %,d rows%n",
                    heldOut.size(), data, specs.size(), trainIdx.size());
            MaskedFeatureModel.Settings settings = MaskedFeatureModel.Settings.defaults()
                    .withEpochs(a.intValue("transformer-epochs"));
            settings = settings.withBatchSize(Math.min(settings.batchSize(), trainIdx.size()));
            ObjectNode report = mapper.createObjectNode();
            report.put("benchmark", "Explanations against planted single-feature causes");
            report.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            report.put("command", "java -Dai.djl.offline=true -jar target/quarkus-app/quarkus-run.jar explain-benchmark "
                    + String.join(" ", args));
            report.put("model", bundle.manifest().name() + " " + bundle.manifest().version());
            report.put("data", data.toString());
            report.put("features", specs.size());
            ObjectNode results = report.putObject("results");
            try (MaskedFeatureModel transformer = MaskedFeatureModel.train(FeatureTokens.of(encoder),
                    TrainCommand.encode(encoder, table, trainIdx), settings, line -> { })) {
                Random random = new Random(a.longValue("seed"));
                for (FeatureCorruption kind : FeatureCorruption.values()) {
                    results.set(kind.label(), corruptAndRank(kind, table, trainIdx, heldOut, perKind, encoder,
                            transformer, bundle, random));
                    out.printf("%s: %s%n", kind.label(), results.get(kind.label()));
                }
            }
            report.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
            return ReportFiles.write(mapper, Path.of(a.get("out")), a.get("report"), report, markdown(report), out);
        }
    }

    private ObjectNode corruptAndRank(FeatureCorruption kind, LabelledTable table, List<Integer> trainIdx,
            List<Integer> heldOut, int rows, FeatureEncoder encoder, MaskedFeatureModel transformer,
            ModelBundle bundle, Random random) {
        int[] columns = table.featureColumns();
        List<float[]> encoded = new ArrayList<>();
        List<Integer> causes = new ArrayList<>();
        for (int n = 0; n < heldOut.size() && encoded.size() < rows; n++) {
            int i = heldOut.get(random.nextInt(heldOut.size()));
            String[] cells = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                cells[c] = table.row(i)[columns[c]];
            }
            List<String[]> donors = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                int d = trainIdx.get(random.nextInt(trainIdx.size()));
                if (!table.group(d).equals(table.group(i))) {
                    String[] row = new String[columns.length];
                    for (int c = 0; c < columns.length; c++) {
                        row[c] = table.row(d)[columns[c]];
                    }
                    donors.add(row);
                }
            }
            int cause = kind.apply(cells, encoder.specs(), donors, random);
            if (cause >= 0) {
                encoded.add(encoder.encodeCells(cells, identity(cells.length)));
                causes.add(cause);
            }
        }
        ObjectNode byMethod = mapper.createObjectNode();
        byMethod.put("rows", encoded.size());
        if (encoded.isEmpty()) {
            return byMethod; // e.g. no other traffic class to borrow values from
        }
        Map<String, double[][]> attributions = new LinkedHashMap<>();
        attributions.put(METHODS.get(0), transformer.explain(encoded).stream()
                .map(MaskedFeatureModel.Explanation::surprise).toArray(double[][]::new));
        attributions.put(METHODS.get(1), reconstructionShares(bundle, encoder, encoded));
        for (Map.Entry<String, double[][]> m : attributions.entrySet()) {
            double hit1 = 0;
            double hit3 = 0;
            double precision = 0;
            for (int r = 0; r < encoded.size(); r++) {
                int rank = rank(m.getValue()[r], causes.get(r));
                hit1 += rank == 1 ? 1 : 0;
                hit3 += rank <= 3 ? 1 : 0;
                precision += 1.0 / rank;
            }
            ObjectNode s = byMethod.putObject(m.getKey());
            s.put("hitAt1", round(hit1 / encoded.size()));
            s.put("hitAt3", round(hit3 / encoded.size()));
            s.put("averagePrecision", round(precision / encoded.size()));
        }
        return byMethod;
    }

    /** Each row's per-feature sum of the VAE's per-column reconstruction error. */
    private static double[][] reconstructionShares(ModelBundle bundle, FeatureEncoder encoder, List<float[]> rows) {
        double[][] out = new double[rows.size()][encoder.specs().size()];
        for (int start = 0; start < rows.size(); start += 1024) {
            List<ScoredRow> scored = bundle.scorer().score(rows.subList(start, Math.min(rows.size(), start + 1024)));
            for (int r = 0; r < scored.size(); r++) {
                float[] errors = scored.get(r).columnErrors();
                for (int c = 0; c < errors.length; c++) {
                    out[start + r][encoder.featureOfColumn(c)] += errors[c];
                }
            }
        }
        return out;
    }

    /** 1 + the features ranked strictly above the cause (ties in the cause's favour). */
    private static int rank(double[] attribution, int cause) {
        int above = 0;
        for (double v : attribution) {
            above += v > attribution[cause] ? 1 : 0;
        }
        return above + 1;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Explanations against planted single-feature causes\n\n");
        md.append("Held-out normal flows (the test split of ").append(report.get("data").asText())
                .append(") with one of their ").append(report.get("features").asInt())
                .append(" features corrupted; each method ranks the features. hit@k: the corrupted feature among "
                        + "the first k; AP: average precision of the ranking (one cause: 1 / its rank).\n\n");
        md.append("| corruption | rows |");
        for (String m : METHODS) {
            md.append(' ').append(m).append(" hit@1 / hit@3 / AP |");
        }
        md.append("\n|---|---:|").append("---:|".repeat(METHODS.size())).append('\n');
        report.get("results").fields().forEachRemaining(e -> {
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().get("rows").asInt()).append(" |");
            for (String m : METHODS) {
                var s = e.getValue().get(m);
                md.append(s == null ? " (no row could be corrupted this way) |" : String.format(" %.3f / %.3f / %.3f |",
                        s.get("hitAt1").asDouble(), s.get("hitAt3").asDouble(), s.get("averagePrecision").asDouble()));
            }
            md.append('\n');
        });
        md.append("\nModel: ").append(report.get("model").asText()).append(". Command: `")
                .append(report.get("command").asText()).append("` (").append(report.get("seconds").asDouble())
                .append(" s; ").append(report.get("date").asText()).append(").\n");
        return md.toString();
    }
}
