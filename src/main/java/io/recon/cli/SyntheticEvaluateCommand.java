package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.bundle.GeneratorBundle;
import io.recon.bundle.GeneratorKind;
import io.recon.baseline.SmoteSampler;
import io.recon.cli.args.CommandArgs;
import io.recon.data.DatasetSplit;
import io.recon.data.LabelledTable;
import io.recon.evaluation.MachineInfo;
import io.recon.evaluation.ReportFiles;
import io.recon.evaluation.synthetic.ClosestRecordDistance;
import io.recon.evaluation.synthetic.CorrelationSimilarity;
import io.recon.data.FeatureRows;
import io.recon.evaluation.synthetic.MarginalFidelity;
import io.recon.evaluation.synthetic.RowSpace;
import io.recon.evaluation.synthetic.TwoSampleTest;
import io.recon.bundle.ModelBundle;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;
import io.recon.feature.ValueKind;
import io.recon.nn.vae.PriorSampler;
import io.recon.nn.vae.VaeTrainer;
import io.recon.progress.Progress;
import io.recon.progress.ProgressMeter;

/**
 * {@code synthetic-eval}: how much synthetic normal rows look like real ones. Each generator learns
 * from the table's normal training rows (the split {@code train} uses), one traffic class at a time
 * and in the classes' proportions; its rows are compared with the held-out normal rows of the
 * calibration split: per-column fidelity, rank-correlation similarity, a two-sample test, and
 * distance to the closest training row. A "real" entry runs the same comparison between two halves
 * of the held-out rows, to show what sampling noise alone gives. Then train-on-synthetic,
 * test-on-real: the VAE of {@code train} (its defaults) learns from each generator's rows alone and
 * from the real training rows, and each is scored on the real test split (normal and attack flows),
 * the only use of that split here. Last, the use the issue asks for: the rarest normal class
 * oversampled with rows of each generator asked for (SMOTE by default, and the trained generators of
 * {@link GeneratorKind}), and the false-positive rate on that class, on all normal flows and the
 * attack recall, at a threshold set on the calibration split, before and after, measured on the test
 * split and on a second capture.
 *
 * <p>The trained generators ("ctgan"...) are read from their bundles ({@code train-generator}),
 * which must have learned from the same features; they are sampled class by class like SMOTE.
 */
public record SyntheticEvaluateCommand(ObjectMapper mapper, PrintStream out) {

    /** The generators this command knows: the baselines, then every trained kind. */
    public static final List<String> GENERATORS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("smote", "vae-prior"), GeneratorKind.names().stream()).toList();
    /** The generators that can oversample one class: SMOTE and the class-conditional trained kinds. */
    static final List<String> OVERSAMPLERS = java.util.stream.Stream.concat(java.util.stream.Stream.of("smote"),
            GeneratorKind.names().stream()).toList();

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = declareGeneratorBundles(TableOptions.declareOn(
            CommandArgs.Declarations.command("synthetic-eval", "--data FILE [options]",
                    "quality of synthetic normal rows against held-out real ones"))
            .option("generators", "G1,G2", "smote,vae-prior", "generators to judge: " + String.join(", ", GENERATORS))
            .option("model", "DIR", "models/telemetry-vae", "the VAE bundle vae-prior samples from (trained on the "
                    + "same split of the same table)"))
            .option("rows", "N", null, "synthetic rows per generator (default: as many as the training rows)")
            .option("two-sample-rows", "N", "2000", "rows per side in the two-sample test")
            .option("seed", "N", "42", "seed of the generators, the tests and the VAEs trained on their rows")
            .option("tstr-epochs", "N", "60", "epochs of the VAE trained on each generator's rows and on the real "
                    + "rows, scored on the real test split (train-on-synthetic, test-on-real); 0 skips it")
            .option("oversample-class", "C", null, "the rare normal class to oversample with synthetic rows "
                    + "(default: the rarest in the training rows)")
            .option("oversample-generators", "G1,G2", "smote", "the generators of those rows, a model for each: "
                    + String.join(", ", OVERSAMPLERS))
            .option("oversample-rows", "N", "200", "synthetic rows of that class added to the training rows; 0 skips")
            .option("holdout-data", "FILE", "tests/data/telemetry/flows-holdout.csv.gz", "a second capture, "
                    + "read with the test split to measure the oversampling (skipped if absent)")
            .option("target-fpr", "X", "0.01", "false-positive rate of the oversampling models' thresholds")
            .option("name", "NAME", "synthetic-telemetry", "report file name")
            .option("out", "DIR", "tests/bench/results", "report folder");

    /** {@code --KIND-model DIR} for each trained kind. */
    private static CommandArgs.Declarations declareGeneratorBundles(CommandArgs.Declarations declarations) {
        for (GeneratorKind kind : GeneratorKind.ALL) {
            declarations.option(kind.name() + "-model", "DIR", "models/telemetry-" + kind.name(), "the "
                    + kind.name() + " bundle (train-generator; trained on the same split of the same table)");
        }
        return declarations;
    }

    /** Reports are written indented, for people reading them. */
    public SyntheticEvaluateCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        List<String> generators = a.list("generators");
        for (String g : generators) {
            if (!GENERATORS.contains(g)) {
                throw new IllegalArgumentException("unknown generator '" + g + "'; known: " + GENERATORS);
            }
        }
        List<String> oversamplers = a.list("oversample-generators");
        for (String g : oversamplers) {
            if (!OVERSAMPLERS.contains(g)) {
                throw new IllegalArgumentException("cannot oversample a class with '" + g + "'; known: "
                        + OVERSAMPLERS);
            }
        }
        TableOptions.Input input = TableOptions.read(a, mapper);
        Path data = input.file();
        Map<String, ValueKind> declared = input.declared();
        LabelledTable labelled = input.labelled();
        List<Integer> trainIdx = normals(labelled, DatasetSplit.Part.TRAIN);
        List<Integer> holdoutIdx = normals(labelled, DatasetSplit.Part.CALIBRATION);
        FeatureRows train = features(labelled, trainIdx);
        FeatureRows holdout = features(labelled, holdoutIdx);
        int rows = a.intValue("rows", train.size());
        int twoSampleRows = a.intValue("two-sample-rows");
        long seed = a.longValue("seed");
        out.printf("read %,d rows from %s: %,d normal training rows, %,d held-out normal rows; %d features%n",
                labelled.size(), data, train.size(), holdout.size(), train.width());

        RowSpace space = new RowSpace(train);
        ObjectNode report = mapper.createObjectNode();
        report.put("command", "java -jar target/quarkus-app/quarkus-run.jar synthetic-eval " + String.join(" ", args));
        report.set("machine", MachineInfo.describe(mapper, Device.cpu()));
        report.put("data", data.toString());
        report.put("split", DatasetSplit.DESCRIPTION);
        report.put("trainingRows", train.size());
        report.put("heldOutRows", holdout.size());
        report.put("twoSampleTest", "k-nearest-neighbour classifier (k=" + TwoSampleTest.NEIGHBOURS + ") on "
                + "rows placed by their position among the training values; AUROC of telling synthetic from "
                + "held-out real rows, 0.5 = indistinguishable");
        ObjectNode results = report.putObject("generators");

        // Sampling noise alone: one half of the held-out rows judged against the other.
        List<String[]> shuffled = new ArrayList<>(holdout.rows());
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        FeatureRows halfA = holdout.with(shuffled.subList(0, shuffled.size() / 2));
        FeatureRows halfB = holdout.with(shuffled.subList(shuffled.size() / 2, shuffled.size()));
        results.set("real", judge(space, train, halfB, halfA, twoSampleRows, seed));
        out.println("real (half of the held-out rows against the other): " + summary(results.get("real")));

        int tstrEpochs = a.intValue("tstr-epochs");
        TrainOnRows trainOnRows = new TrainOnRows(TrainOnRows.plan(features(labelled, allRows(labelled)), declared),
                new VaeTrainer.Settings(tstrEpochs, 128, 0.001, 10, seed), List.of(128, 64), 8, "iwae");
        List<Integer> testIdx = labelled.rowsIn(DatasetSplit.Part.TEST);
        FeatureRows test = features(labelled, testIdx);
        boolean[] anomalous = new boolean[testIdx.size()];
        for (int i = 0; i < anomalous.length; i++) {
            anomalous[i] = !labelled.isNormal(testIdx.get(i));
        }
        double realAuroc = Double.NaN;
        if (tstrEpochs > 0) {
            realAuroc = trainOnRows.auroc(train, test, anomalous);
            ObjectNode t = report.putObject("trainOnReal");
            t.put("testRows", test.size());
            t.put("anomalousTestRows", (int) java.util.stream.IntStream.range(0, anomalous.length)
                    .filter(i -> anomalous[i]).count());
            t.put("auroc", round(realAuroc));
            t.put("model", "train's VAE (hidden 128,64, latent 8, " + tstrEpochs + " epochs, seed " + seed
                    + "), alert score iwae");
            out.printf("train on real rows, test on real: AUROC %.4f%n", realAuroc);
        }

        Map<String, List<Integer>> byClass = byClass(labelled, trainIdx);
        ProgressMeter progress = ProgressMeter.forConsole(out);
        for (int g = 0; g < generators.size(); g++) {
            String generator = generators.get(g);
            progress.advance(g, generators.size(), "generators", "judging " + generator);
            long started = System.nanoTime();
            List<String> skipped = new ArrayList<>();
            FeatureRows synthetic = switch (generator) {
                case "smote" -> smote(labelled, byClass, train.size(), rows, seed, skipped);
                case "vae-prior" -> vaePrior(Path.of(a.get("model")), train, rows, seed);
                default -> trained(a, GeneratorKind.named(generator), data, byClass, train, rows, seed, skipped,
                        progress);
            };
            ObjectNode r = judge(space, train, holdout, synthetic, twoSampleRows, seed);
            r.put("rows", synthetic.size());
            r.set("classesLeftOut", mapper.valueToTree(skipped));
            if (tstrEpochs > 0) {
                double auroc = trainOnRows.auroc(synthetic, test, anomalous);
                r.put("trainOnSyntheticAuroc", round(auroc));
                r.put("trainOnSyntheticMinusReal", round(auroc - realAuroc));
            }
            r.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
            results.set(generator, r);
            progress.accept(generator + ": " + summary(r));
        }
        progress.advance(generators.size(), generators.size(), "generators");
        int oversampleRows = a.intValue("oversample-rows");
        if (tstrEpochs > 0 && oversampleRows > 0) {
            String rare = a.get("oversample-class", byClass.entrySet().stream()
                    .min(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey());
            if (!byClass.containsKey(rare)) {
                throw new IllegalArgumentException("no normal training rows of class '" + rare + "'; classes: "
                        + byClass.keySet());
            }
            RareClassOversampling.Evaluation evaluation = RareClassOversampling.Evaluation.of(labelled, testIdx,
                    Path.of(a.get("holdout-data")), train, a, declared, rare);
            FeatureRows classRows = features(labelled, byClass.get(rare));
            Map<String, FeatureRows> added = new LinkedHashMap<>();
            for (String g : oversamplers) {
                progress.advance(added.size(), oversamplers.size(), "oversamplers", "sampling " + rare + " rows with "
                        + g);
                added.put(g, g.equals("smote") ? new SmoteSampler(classRows).sample(oversampleRows, seed)
                        : classRowsFrom(a, GeneratorKind.named(g), data, train, rare, oversampleRows, seed, progress));
            }
            progress.advance(added.size(), oversamplers.size(), "oversamplers");
            ObjectNode o = new RareClassOversampling(mapper, trainOnRows, a.doubleValue("target-fpr")).measure(rare,
                    train, classRows, holdout, evaluation, added);
            report.set("oversampling", o);
            out.println("oversampling " + rare + ": real only " + o.get("realOnly") + "; with synthetic rows "
                    + o.get("withSyntheticRows"));
        }
        return ReportFiles.write(mapper, Path.of(a.get("out")), a.get("name"), report, markdown(report), out);
    }

    /** SMOTE within each traffic class, each class getting its share of the rows. */
    private FeatureRows smote(LabelledTable labelled, Map<String, List<Integer>> byClass, int trainRows, int rows,
            long seed, List<String> skipped) {
        List<String[]> out = new ArrayList<>(rows);
        FeatureRows template = null;
        long classSeed = seed;
        for (Map.Entry<String, List<Integer>> e : byClass.entrySet()) {
            FeatureRows real = features(labelled, e.getValue());
            template = real;
            int n = (int) Math.round(rows * (double) real.size() / trainRows);
            if (real.size() < 2) {
                // One row has no neighbour to interpolate towards: the class is left out, and said so.
                skipped.add(e.getKey());
                continue;
            }
            out.addAll(new SmoteSampler(real).sample(n, classSeed++).rows());
        }
        return template.with(out);
    }

    /**
     * Rows of a trained generator's bundle, each class its share of {@code rows} as in {@link #smote}; a
     * class the generator was not trained on is left out, and said so.
     */
    private FeatureRows trained(CommandArgs a, GeneratorKind kind, Path data, Map<String, List<Integer>> byClass,
            FeatureRows train, int rows, long seed, List<String> skipped, Progress progress) {
        try (GeneratorBundle.Loaded bundle = loadBundle(a, kind, data, train, progress)) {
            List<String[]> out = new ArrayList<>(rows);
            long classSeed = seed;
            for (Map.Entry<String, List<Integer>> e : byClass.entrySet()) {
                int n = (int) Math.round(rows * (double) e.getValue().size() / train.size());
                if (!bundle.generator().classes().contains(e.getKey())) {
                    skipped.add(e.getKey());
                    continue;
                }
                out.addAll(bundle.sample(e.getKey(), n, classSeed++).rows());
            }
            return train.with(out);
        }
    }

    /** {@code count} rows of class {@code cls} from a trained generator's bundle. */
    private FeatureRows classRowsFrom(CommandArgs a, GeneratorKind kind, Path data, FeatureRows train, String cls,
            int count, long seed, Progress progress) {
        try (GeneratorBundle.Loaded bundle = loadBundle(a, kind, data, train, progress)) {
            if (!bundle.generator().classes().contains(cls)) {
                throw new IllegalArgumentException("the " + kind.name() + " bundle was not trained on class '" + cls
                        + "'; its classes: " + bundle.generator().classes());
            }
            return bundle.sample(cls, count, seed);
        }
    }

    /**
     * The kind's bundle from {@code --KIND-model}, said aloud (through {@code progress}, so that a bar on
     * the terminal is not broken) when it learned from another file.
     */
    private GeneratorBundle.Loaded loadBundle(CommandArgs a, GeneratorKind kind, Path data, FeatureRows train,
            Progress progress) {
        Path dir = Path.of(a.get(kind.name() + "-model"));
        GeneratorBundle.Loaded bundle = GeneratorBundle.load(dir, kind, train, mapper);
        GeneratorBundle.Training t = bundle.manifest().training();
        if (t == null || !io.recon.bundle.BundleDigests.sha256(data).equals(t.dataSha256())) {
            progress.accept("note: the " + kind.name() + " bundle " + dir + " learned from " + (t == null
                    ? "an unknown table" : t.dataFile() + ", not this file") + ": its rows may be judged against rows "
                    + "it saw");
        }
        return bundle;
    }

    /** Rows from the bundled VAE's prior through its decoder, in the table's feature order. */
    private FeatureRows vaePrior(Path bundleDir, FeatureRows train, int rows, long seed) {
        try (ModelBundle bundle = ModelBundle.load(bundleDir, Device.cpu(), mapper)) {
            FeatureEncoder encoder = bundle.encoder();
            List<String> names = encoder.specs().stream().map(FeatureSpec::name).toList();
            if (!new java.util.HashSet<>(names).equals(new java.util.HashSet<>(train.names()))) {
                throw new IllegalArgumentException("the model " + bundleDir + " reads features " + names
                        + ", not this table's " + train.names());
            }
            int[] from = new int[train.width()];
            for (int c = 0; c < from.length; c++) {
                from[c] = names.indexOf(train.names().get(c));
            }
            List<String[]> out = new ArrayList<>(rows);
            for (float[] encoded : PriorSampler.sample(bundle.block(), bundle.manager(), rows, seed)) {
                String[] decoded = encoder.decode(encoded);
                String[] cells = new String[from.length];
                for (int c = 0; c < from.length; c++) {
                    cells[c] = decoded[from[c]];
                }
                out.add(cells);
            }
            return train.with(out);
        }
    }

    private ObjectNode judge(RowSpace space, FeatureRows train, FeatureRows real, FeatureRows synthetic,
            int twoSampleRows, long seed) {
        ObjectNode r = mapper.createObjectNode();
        Map<String, Double> columns = MarginalFidelity.perColumn(real, synthetic);
        r.put("columnFidelityMean", round(columns.values().stream().mapToDouble(Double::doubleValue).average()
                .orElse(1)));
        ArrayNode worst = r.putArray("worstColumns");
        columns.entrySet().stream().sorted(Map.Entry.comparingByValue()).limit(5)
                .forEach(c -> worst.addObject().put("column", c.getKey()).put("fidelity", round(c.getValue())));
        r.put("correlationSimilarity", round(CorrelationSimilarity.of(real, synthetic)));
        r.put("twoSampleAuroc", round(TwoSampleTest.auroc(space, real, synthetic, twoSampleRows, seed)));
        ClosestRecordDistance dcr = ClosestRecordDistance.of(space, train, real, synthetic);
        ObjectNode d = r.putObject("closestTrainingRow");
        d.put("syntheticMedian", round(dcr.syntheticMedian()));
        d.put("heldOutMedian", round(dcr.holdoutMedian()));
        d.put("ratio", round(dcr.ratio()));
        d.put("exactCopyShare", round(dcr.exactCopyShare()));
        d.put("heldOutExactCopyShare", round(dcr.holdoutCopyShare()));
        ObjectNode all = r.putObject("columnFidelity");
        columns.forEach((c, v) -> all.put(c, round(v)));
        return r;
    }

    private static String summary(com.fasterxml.jackson.databind.JsonNode r) {
        return String.format("column fidelity %.3f, correlation %.3f, two-sample AUROC %.3f, DCR ratio %.2f%s",
                r.path("columnFidelityMean").asDouble(), r.path("correlationSimilarity").asDouble(),
                r.path("twoSampleAuroc").asDouble(), r.path("closestTrainingRow").path("ratio").asDouble(),
                r.has("trainOnSyntheticAuroc") ? String.format(", train-on-synthetic AUROC %.4f",
                        r.path("trainOnSyntheticAuroc").asDouble()) : "");
    }

    private static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Synthetic normal rows against held-out real rows\n\n");
        md.append("`").append(report.path("command").asText()).append("`\n\n");
        md.append(report.path("trainingRows").asInt()).append(" normal training rows, ")
                .append(report.path("heldOutRows").asInt()).append(" held-out normal rows (")
                .append(report.path("split").asText()).append(").\n\n");
        if (report.has("trainOnReal")) {
            md.append("Train on real rows, test on real: AUROC ").append(report.path("trainOnReal").path("auroc")
                    .asText()).append(" on ").append(report.path("trainOnReal").path("testRows").asInt())
                    .append(" test rows (").append(report.path("trainOnReal").path("anomalousTestRows").asInt())
                    .append(" attacks), ").append(report.path("trainOnReal").path("model").asText()).append(".\n\n");
        }
        md.append("| generator | column fidelity (mean) | correlation similarity | two-sample AUROC | "
                + "DCR ratio | exact copies | train-on-synthetic AUROC (minus real) | worst columns |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        report.path("generators").fields().forEachRemaining(e -> {
            com.fasterxml.jackson.databind.JsonNode r = e.getValue();
            List<String> worst = new ArrayList<>();
            r.path("worstColumns").forEach(w -> worst.add(w.path("column").asText() + " "
                    + w.path("fidelity").asText()));
            md.append("| ").append(e.getKey()).append(" | ").append(r.path("columnFidelityMean").asText())
                    .append(" | ").append(r.path("correlationSimilarity").asText()).append(" | ")
                    .append(r.path("twoSampleAuroc").asText()).append(" | ")
                    .append(r.path("closestTrainingRow").path("ratio").asText()).append(" | ")
                    .append(r.path("closestTrainingRow").path("exactCopyShare").asText()).append(" (held-out: ")
                    .append(r.path("closestTrainingRow").path("heldOutExactCopyShare").asText()).append(") | ")
                    .append(r.has("trainOnSyntheticAuroc") ? r.path("trainOnSyntheticAuroc").asText() + String.format(" (%+.4f)",
                            r.path("trainOnSyntheticMinusReal").asDouble()) : "")
                    .append(" | ").append(String.join(", ", worst)).append(" |\n");
        });
        if (report.has("oversampling")) {
            md.append(RareClassOversampling.markdown(report.path("oversampling")));
        }
        md.append("\n`real`: one half of the held-out rows judged against the other, what sampling noise alone "
                + "gives. Column fidelity: 1 - KS statistic (numbers), 1 - total variation (categories). "
                + "DCR ratio: median distance of a row to its closest training row, over the same for held-out "
                + "rows (near 0: copies).\n");
        return md.toString();
    }

    private static List<Integer> allRows(LabelledTable labelled) {
        return java.util.stream.IntStream.range(0, labelled.size()).boxed().toList();
    }

    /** The normal rows of a split part. */
    static List<Integer> normals(LabelledTable labelled, DatasetSplit.Part part) {
        return labelled.rowsIn(part).stream().filter(labelled::isNormal).toList();
    }

    private static Map<String, List<Integer>> byClass(LabelledTable labelled, List<Integer> rows) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(labelled::group).thenComparing(i -> i))
                .forEach(i -> out.computeIfAbsent(labelled.group(i), g -> new ArrayList<>()).add(i));
        return out;
    }

    static FeatureRows features(LabelledTable labelled, List<Integer> indexes) {
        int[] columns = labelled.featureColumns();
        List<String[]> rows = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            String[] row = labelled.row(i);
            String[] cells = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                cells[c] = row[columns[c]];
            }
            rows.add(cells);
        }
        return new FeatureRows(labelled.featureNames(), labelled.numeric(), rows);
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
