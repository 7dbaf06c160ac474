package io.recon.cli;

import io.recon.data.ColumnRoles;
import io.recon.cli.args.CommandArgs;
import io.recon.data.DatasetSplit;
import io.recon.data.LabelledTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.bundle.BundleDigests;
import io.recon.baseline.AnomalyBaseline;
import io.recon.baseline.IsolationForest;
import io.recon.baseline.KNearestNeighbourDistance;
import io.recon.baseline.LocalOutlierFactor;
import io.recon.baseline.RobustZScore;
import io.recon.config.ReconConfig.DeviceChoice;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.evaluation.EvaluationReport;
import io.recon.evaluation.OperatingPoint;
import io.recon.evaluation.ScoreEvaluation;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;
import io.recon.nn.DeviceSelector;
import io.recon.nn.explainer.FeatureTokens;
import io.recon.nn.explainer.MaskedFeatureModel;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;
import io.recon.nn.vae.ScoredRow;
import io.recon.progress.Progress;
import io.recon.progress.ProgressMeter;

/**
 * {@code evaluate}: judges a bundle on labelled rows it never trained on, beside four baselines
 * fitted on the same training rows and fed the same encoded features: a per-feature robust
 * z-score, an isolation forest, the k-nearest-neighbour distance and the local outlier factor; and,
 * when asked, the masked-feature transformer alone and added to the VAE ({@link SecondDetector}).
 * Writes {@code NAME.json} and {@code NAME.md} into the bundle
 * and, for the bundle's own data set, a summary into its manifest.
 */
public record EvaluateCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("evaluate",
            "--model DIR [options]", "judge a bundle against baselines on labelled rows")
            .required("model", "DIR", "the bundle")
            .option("data", "FILE", null, "table to evaluate (default: the bundle's training table, test split)")
            .option("report", "NAME", null, "report file name (default evaluation, or evaluation-DATA)")
            .option("report-dir", "DIR", null, "where to write it (default: the bundle, whose manifest then gets the "
                    + "summary; elsewhere the bundle is left untouched)")
            .option("fpr", "X", "0.01", "false-positive rate of the recall figures")
            .option("device", "D", "auto", "auto | cpu | gpu")
            .option("knn-k", "K", String.valueOf(KNearestNeighbourDistance.DEFAULT_K),
                    "the baseline k-nearest-neighbour distance scores the distance to the K-th nearest training row")
            .option("lof-k", "K", String.valueOf(LocalOutlierFactor.DEFAULT_K), "neighbourhood size of the local "
                    + "outlier factor baseline")
            .option("transformer-epochs", "N", "30", "also fit the masked-feature transformer on the bundle's "
                    + "training rows for N epochs and judge its summed surprise beside the VAE (0: skip)");

    private static final String[] VAE_SCORES = {"iwae", "negative_elbo", "reconstruction_error"};

    /** Runs the command and returns the report. */
    public EvaluationReport run(String[] args) {
        long started = System.nanoTime();
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        Path bundleDir = Path.of(a.required("model"));
        double fpr = a.doubleValue("fpr");
        Device device = DeviceSelector.select(DeviceChoice.valueOf(a.get("device").toUpperCase()));
        try (ModelBundle bundle = ModelBundle.load(bundleDir, device, mapper)) {
            ModelManifest m = bundle.manifest();
            Path trainingFile = Path.of(m.training().dataFile());
            Path dataFile = Path.of(a.get("data", trainingFile.toString()));
            String dataSha = BundleDigests.sha256(dataFile);
            boolean ownData = dataSha.equals(m.training().dataSha256());
            if (!ownData && !a.has("data")) {
                throw new IllegalStateException(trainingFile + " changed since the bundle was trained (sha256 "
                        + dataSha.substring(0, 12) + " != " + m.training().dataSha256().substring(0, 12)
                        + "); retrain, or pass --data explicitly");
            }
            LabelledTable trainTable = labelled(TabularReader.read(trainingFile), m);
            LabelledTable evalTable = ownData ? trainTable : labelled(TabularReader.read(dataFile), m);
            if (!evalTable.hasLabels()) {
                throw new IllegalArgumentException(dataFile + " has no label column '" + m.inputSchema().labelColumn()
                        + "': evaluation needs labelled rows");
            }
            FeatureEncoder encoder = bundle.encoder();
            List<Integer> testIdx = new ArrayList<>();
            for (int i = 0; i < evalTable.size(); i++) {
                if (!ownData || evalTable.part(i) == DatasetSplit.Part.TEST) {
                    testIdx.add(i);
                }
            }
            List<float[]> testRows = TrainCommand.encode(encoder, columnsFor(evalTable, encoder), testIdx);
            boolean[] anomalous = new boolean[testIdx.size()];
            String[] groups = new String[testIdx.size()];
            int normals = 0;
            for (int j = 0; j < testIdx.size(); j++) {
                anomalous[j] = !evalTable.isNormal(testIdx.get(j));
                groups[j] = evalTable.group(testIdx.get(j));
                normals += anomalous[j] ? 0 : 1;
            }
            out.printf("evaluating %s %s on %,d rows of %s (%,d normal, %,d anomalous)%n", m.name(), m.version(),
                    testIdx.size(), dataFile, normals, testIdx.size() - normals);

            List<ScoreEvaluation> evaluations = new ArrayList<>();
            ProgressMeter progress = ProgressMeter.forConsole(out);
            long vaeStarted = System.nanoTime();
            double[][] vae = vaeScores(bundle, testRows, progress);
            double vaeSeconds = seconds(vaeStarted); // the three scores come from one pass
            for (int s = 0; s < VAE_SCORES.length; s++) {
                evaluations.add(ScoreEvaluation.of("vae-" + VAE_SCORES[s].replace('_', '-'), vae[s], anomalous,
                        groups, fpr, vaeSeconds));
            }
            List<float[]> trainRows = TrainCommand.encode(encoder, columnsFor(trainTable, encoder),
                    trainTable.rowsIn(DatasetSplit.Part.TRAIN));
            double[][] trainMatrix = toMatrix(trainRows);
            double[][] testMatrix = toMatrix(testRows);
            List<AnomalyBaseline> baselines = List.of(new RobustZScore(), new IsolationForest(),
                    new KNearestNeighbourDistance(a.intValue("knn-k")), new LocalOutlierFactor(a.intValue("lof-k")));
            int transformerEpochs = a.intValue("transformer-epochs");
            for (int b = 0; b < baselines.size(); b++) {
                AnomalyBaseline baseline = baselines.get(b);
                progress.advance(b, baselines.size(), "baselines", "fitting " + baseline.name());
                long fitted = System.nanoTime();
                baseline.fit(trainMatrix);
                double[] scores = baseline.scoreAll(testMatrix);
                evaluations.add(ScoreEvaluation.of(baseline.name(), scores, anomalous, groups, fpr, seconds(fitted)));
            }
            progress.advance(baselines.size(), baselines.size(), "baselines");
            if (transformerEpochs > 0) {
                long fitted = System.nanoTime();
                List<float[]> heldOut = TrainCommand.encode(encoder, columnsFor(trainTable, encoder),
                        trainTable.rowsIn(DatasetSplit.Part.CALIBRATION));
                double[][] surprise = transformerScores(encoder, trainRows, List.of(testRows, heldOut),
                        transformerEpochs, progress.withoutLines());
                double transformerSeconds = seconds(fitted);
                evaluations.add(ScoreEvaluation.of("masked-feature-transformer", surprise[0], anomalous, groups, fpr,
                        transformerSeconds));
                double[] vaeHeldOut = vaeScores(bundle, heldOut, progress)[0];
                double[] both = SecondDetector.sum(vae[0], vaeHeldOut, surprise[0], surprise[1]);
                evaluations.add(ScoreEvaluation.of("vae-iwae+transformer", both, anomalous, groups, fpr,
                        vaeSeconds + transformerSeconds));
            }
            int alertIndex = List.of(VAE_SCORES).indexOf(m.scoring().alertScore());
            OperatingPoint op = OperatingPoint.of(m.scoring().alertScore(), bundle.calibration().threshold(),
                    vae[alertIndex], anomalous, groups);
            String testSet = ownData ? "the test split (" + DatasetSplit.DESCRIPTION + ")"
                    : "every row (a data set the model never saw)";
            EvaluationReport report = new EvaluationReport(m.name() + " " + m.version(), dataFile.toString(), dataSha,
                    testSet, normals, testIdx.size() - normals, fpr, evaluations, op,
                    "java -Dai.djl.offline=true -jar target/quarkus-app/quarkus-run.jar evaluate "
                            + String.join(" ", args),
                    Math.round(seconds(started) * 100) / 100.0);
            String name = a.get("report", ownData ? "evaluation" : "evaluation-" + baseName(dataFile));
            Path reportDir = Path.of(a.get("report-dir", bundleDir.toString()));
            write(reportDir, name, report);
            if (reportDir.toAbsolutePath().normalize().equals(bundleDir.toAbsolutePath().normalize())) {
                writeManifestMetrics(bundleDir, m, name, report);
            }
            progress.finish();
            out.print(report.toMarkdown());
            return report;
        }
    }

    /**
     * The masked-feature transformer's summed surprise of each row of each set, the model fitted
     * here on the bundle's encoded training rows (as the baselines are), with its default settings.
     */
    private double[][] transformerScores(FeatureEncoder encoder, List<float[]> training, List<List<float[]>> sets,
            int epochs, Progress progress) {
        MaskedFeatureModel.Settings settings = MaskedFeatureModel.Settings.defaults().withEpochs(epochs);
        settings = settings.withBatchSize(Math.min(settings.batchSize(), training.size()));
        out.printf("fitting the masked-feature transformer on %,d training rows (%d epochs)%n", training.size(), epochs);
        try (MaskedFeatureModel model = MaskedFeatureModel.train(FeatureTokens.of(encoder), training, settings,
                progress)) {
            double[][] scores = new double[sets.size()][];
            for (int i = 0; i < sets.size(); i++) {
                scores[i] = model.explain(sets.get(i)).stream().mapToDouble(MaskedFeatureModel.Explanation::total)
                        .toArray();
            }
            return scores;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static LabelledTable labelled(Table table, ModelManifest m) {
        ModelManifest.InputSchema s = m.inputSchema();
        List<String> categorical = s.features().stream().filter(f -> f.kind() == FeatureSpec.Kind.CATEGORICAL)
                .map(FeatureSpec::name).toList();
        List<String> known = new ArrayList<>(s.features().stream().map(FeatureSpec::name).toList());
        // Columns the bundle does not use are ignored, so a table may carry extra columns.
        List<String> ignored = new ArrayList<>();
        for (String c : table.columns()) {
            if (!known.contains(c) && !c.equals(s.idColumn()) && !c.equals(s.labelColumn())
                    && !c.equals(s.groupColumn())) {
                ignored.add(c);
            }
        }
        return new LabelledTable(table, new ColumnRoles(s.idColumn(), s.labelColumn(), s.normalLabel(),
                s.groupColumn(), ignored, categorical, List.of()));
    }

    /** A view of the table whose feature columns follow the bundle's schema order. */
    static LabelledTable columnsFor(LabelledTable table, FeatureEncoder encoder) {
        List<String> names = encoder.specs().stream().map(FeatureSpec::name).toList();
        if (!table.featureNames().equals(names)) {
            throw new IllegalArgumentException("table features " + table.featureNames()
                    + " do not match the model's " + names);
        }
        return table;
    }

    private static double[][] vaeScores(ModelBundle bundle, List<float[]> rows, Progress progress) {
        double[][] out = new double[VAE_SCORES.length][rows.size()];
        for (int start = 0; start < rows.size(); start += 1024) {
            progress.advance(start, rows.size(), "rows", "VAE scores");
            List<ScoredRow> scored = bundle.scorer().score(rows.subList(start, Math.min(rows.size(), start + 1024)));
            for (int i = 0; i < scored.size(); i++) {
                for (int s = 0; s < VAE_SCORES.length; s++) {
                    out[s][start + i] = scored.get(i).scores().byName(VAE_SCORES[s]);
                }
            }
        }
        progress.advance(rows.size(), rows.size(), "rows", "VAE scores");
        return out;
    }

    private static double[][] toMatrix(List<float[]> rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            float[] r = rows.get(i);
            m[i] = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                m[i][j] = r[j];
            }
        }
        return m;
    }

    private void write(Path dir, String name, EvaluationReport report) {
        try {
            Files.createDirectories(dir);
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name + ".json").toFile(), report);
            Files.writeString(dir.resolve(name + ".md"), report.toMarkdown());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write report to " + dir, e);
        }
    }

    /** Adds (or replaces) this report's summary under its name in the manifest's metrics. */
    private void writeManifestMetrics(Path dir, ModelManifest m, String name, EvaluationReport report) {
        ObjectNode all = m.metrics() instanceof ObjectNode existing ? existing.deepCopy() : mapper.createObjectNode();
        ObjectNode metrics = all.putObject(name);
        metrics.put("report", name + ".md");
        metrics.put("testSet", report.testSet());
        metrics.put("targetFpr", report.targetFpr());
        for (ScoreEvaluation s : report.scorers()) {
            ObjectNode n = metrics.putObject(s.scorer());
            n.put("auroc", round(s.auroc()));
            n.put("auprc", round(s.auprc()));
            n.put("recallAtFpr", round(s.recallAtFpr()));
        }
        metrics.put("deployedThresholdFpr", round(report.operatingPoint().falsePositiveRate()));
        metrics.put("deployedThresholdRecall", round(report.operatingPoint().recall()));
        try {
            mapper.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelManifest.FILE).toFile(),
                    m.withMetrics(all));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot update manifest in " + dir, e);
        }
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
