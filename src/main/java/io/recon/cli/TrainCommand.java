package io.recon.cli;

import io.recon.bundle.BundleWriter;
import io.recon.data.ColumnRoles;
import io.recon.cli.args.CommandArgs;
import io.recon.data.DatasetSplit;
import io.recon.data.LabelledTable;
import io.recon.nn.vae.VaeTrainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.bundle.BundleDigests;
import io.recon.calibration.ThresholdCalibration;
import io.recon.config.ReconConfig.DeviceChoice;
import io.recon.data.Table;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeaturePlan;
import io.recon.feature.FeaturePlanner;
import io.recon.feature.FeatureSchemaFitter;
import io.recon.feature.FeatureSpec;
import io.recon.feature.Normalisation;
import io.recon.feature.ValueKind;
import io.recon.nn.DeviceSelector;
import io.recon.bundle.ModelManifest;
import io.recon.nn.vae.VaeArchitecture;
import io.recon.nn.vae.VaeBlock;
import io.recon.nn.vae.ScoredRow;
import io.recon.nn.vae.VaeScorer;
import io.recon.progress.ProgressMeter;

/**
 * {@code train}: builds a model bundle from a table of telemetry (CSV or JSON lines). Fits the
 * feature schema and the VAE on the normal training rows, sets the threshold on held-out
 * normal rows at the target false-positive rate, and writes parameters, manifest and
 * calibration to the output folder. The learning rate and the gradient norm limit were chosen
 * together on validation data that holds no test row (README: "Training that does not diverge on
 * heavy tails"): without the limit, rates above 0.001 diverged on the flow captures.
 */
public record TrainCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = SyntheticTrainingRows.declareOn(TableOptions.declareOn(
            CommandArgs.Declarations.command("train", "--data FILE [options]",
                    "build a model bundle from a CSV / JSON-lines table")
            .option("name", "NAME", "telemetry-vae", "bundle name")
            .option("out", "DIR", null, "output folder (default models/NAME)"))
            .option("epochs", "N", "60", "passes over the training rows")
            .option("batch-size", "N", "128", "rows per gradient step")
            .option("learning-rate", "X", "0.01", "Adam's base learning rate")
            .option("kl-warmup", "N", "10", "epochs over which the KL weight rises to 1")
            .option("clip-norm", "X", "30", "scale each step's gradients down to this joint L2 norm where they "
                    + "exceed it (0: no limit)")
            .option("normalisation", "N", "robust", "robust (minus the median, over a robust spread) | quantile "
                    + "(the normal score of a number's place among the training values, linear beyond them)")
            .option("latent", "N", "8", "latent dimensions")
            .option("hidden", "N,N", "128,64", "hidden layer widths")
            .option("seed", "N", "42", "seed of initialisation and batching")
            .option("target-fpr", "X", "0.01", "false-positive rate the threshold aims at")
            .option("alert-score", "S", "iwae", "iwae | negative_elbo | reconstruction_error")
            .option("iwae-samples", "K", "16", "importance samples")
            .option("device", "D", "auto", "auto | cpu | gpu"));

    /** Runs the command; returns the bundle folder. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        TableOptions.Input input = TableOptions.read(a, mapper);
        Path data = input.file();
        String name = a.get("name");
        Path outDir = Path.of(a.get("out", "models/" + name));
        Table table = input.table();
        Map<String, ValueKind> declared = input.declared();
        ColumnRoles roles = input.roles();
        LabelledTable labelled = input.labelled();

        List<Integer> trainIdx = labelled.rowsIn(DatasetSplit.Part.TRAIN);
        List<Integer> calibrationIdx = labelled.rowsIn(DatasetSplit.Part.CALIBRATION);
        List<Integer> testIdx = labelled.rowsIn(DatasetSplit.Part.TEST);
        out.printf("read %,d rows from %s: %,d train, %,d calibration, %,d test; %d features%n", labelled.size(),
                data, trainIdx.size(), calibrationIdx.size(), testIdx.size(), labelled.featureNames().size());

        // Kinds and transforms from every row (no labels involved); centres and scales from training rows.
        List<FeaturePlan> plans = FeaturePlanner.plan(labelled.featureNames(), labelled.featureColumns(),
                labelled.numeric(), declared, table.rows());
        List<FeatureSpec> specs = FeatureSchemaFitter.fit(plans, labelled.rows(trainIdx),
                Normalisation.parse(a.get("normalisation")));
        FeatureEncoder encoder = new FeatureEncoder(specs);
        List<float[]> trainRows = encode(encoder, labelled, trainIdx);
        SyntheticTrainingRows synthetic = SyntheticTrainingRows.read(a,
                SyntheticEvaluateCommand.features(labelled, trainIdx), mapper);
        if (synthetic != null) {
            trainRows = new ArrayList<>(trainRows);
            for (String[] cells : synthetic.rows().rows()) {
                trainRows.add(encoder.encodeCells(cells, identity(cells.length)));
            }
            out.printf("added %,d synthetic rows of %s (%s) to the training rows: %s%n", synthetic.rows().size(),
                    synthetic.record().generator(), synthetic.record().bundle(), synthetic.record().rowsByClass());
        }
        List<float[]> calibrationRows = encode(encoder, labelled, calibrationIdx);

        VaeArchitecture arch = new VaeArchitecture(encoder.width(), parseHidden(a.get("hidden")),
                a.intValue("latent"), -4.6);
        VaeTrainer.Settings settings = new VaeTrainer.Settings(a.intValue("epochs"), a.intValue("batch-size"),
                a.doubleValue("learning-rate"), a.intValue("kl-warmup"), a.longValue("seed"),
                a.doubleValue("clip-norm"));
        Device device = DeviceSelector.select(DeviceChoice.valueOf(a.get("device").toUpperCase()));
        out.printf("training %s on %s: %d inputs -> %s -> latent %d, %d epochs%n", name, device, arch.inputSize(),
                arch.hidden(), arch.latentSize(), settings.epochs());
        ProgressMeter progress = ProgressMeter.forConsole(out);
        VaeTrainer.Result result = VaeTrainer.train(name, arch, trainRows, settings, device, progress);
        progress.finish();

        String alertScore = a.get("alert-score");
        int samples = a.intValue("iwae-samples");
        long samplesSeed = settings.seed() + 1;
        double targetFpr = a.doubleValue("target-fpr");
        try (Model model = result.model()) {
            VaeScorer scorer = new VaeScorer((VaeBlock) model.getBlock(), model.getNDManager(), samples, samplesSeed);
            ThresholdCalibration calibration = ThresholdCalibration.fromNormals(
                    scores(scorer, calibrationRows, alertScore), targetFpr);
            out.printf("threshold %.4f on %s: %.1f%% of %,d held-out normal rows score above it%n",
                    calibration.threshold(), alertScore, 100 * calibration.achievedFpr(), calibration.rows());

            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String sha = BundleDigests.sha256(data);
            String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
                    + "-" + sha.substring(0, 8);
            ModelManifest manifest = new ModelManifest(name, version, "tabular-vae", now.toString(),
                    new ModelManifest.InputSchema(specs, roles.idColumn(), roles.labelColumn(), roles.normalLabel(),
                            roles.groupColumn(), roles.ignoredColumns()),
                    arch,
                    new ModelManifest.Training(data.toString(), sha, DatasetSplit.DESCRIPTION, trainRows.size(),
                            calibrationRows.size(), testIdx.size(), settings.epochs(), settings.batchSize(),
                            settings.learningRate(), settings.klWarmupEpochs(), settings.seed(),
                            round(result.finalLoss()), round(result.seconds()), device.toString(),
                            result.skippedSteps(), synthetic == null ? null : synthetic.record(),
                            settings.maxGradientNorm() > 0 ? new ModelManifest.GradientClip(settings.maxGradientNorm(),
                                    result.clippedSteps()) : null),
                    new ModelManifest.Scoring(alertScore, samples, samplesSeed),
                    new ModelManifest.Calibration(alertScore, targetFpr, calibration.threshold(), calibration.rows(),
                            calibration.method(alertScore, "held-out normal rows"), BundleWriter.CALIBRATION_FILE),
                    null,
                    "java -Dai.djl.offline=true -jar target/quarkus-app/quarkus-run.jar train "
                            + String.join(" ", args), null);
            write(outDir, model, manifest, calibration.quantiles());
        }
        out.printf("wrote bundle %s (%.1f s training)%n", outDir, result.seconds());
        return outDir;
    }

    static List<float[]> encode(FeatureEncoder encoder, LabelledTable table, List<Integer> indexes) {
        int[] columns = table.featureColumns();
        List<float[]> rows = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            rows.add(encoder.encodeCells(table.row(i), columns));
        }
        return rows;
    }

    /** Scores rows in batches of 1,024 and returns the named score. */
    static double[] scores(VaeScorer scorer, List<float[]> rows, String scoreName) {
        double[] out = new double[rows.size()];
        for (int start = 0; start < rows.size(); start += 1024) {
            List<ScoredRow> scored = scorer.score(rows.subList(start, Math.min(rows.size(), start + 1024)));
            for (int i = 0; i < scored.size(); i++) {
                out[start + i] = scored.get(i).scores().byName(scoreName);
            }
        }
        return out;
    }

    private void write(Path dir, Model model, ModelManifest manifest, double[] quantiles) {
        BundleWriter.write(mapper, dir, model, ModelManifest.PARAMS_PREFIX, manifest::withFiles,
                manifest.calibration().score(),
                quantiles);
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static List<Integer> parseHidden(String spec) {
        return Arrays.stream(spec.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
