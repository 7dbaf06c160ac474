package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.BundleDigests;
import io.recon.bundle.ExplainerBundle;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;
import io.recon.cli.args.CommandArgs;
import io.recon.data.DatasetSplit;
import io.recon.data.LabelledTable;
import io.recon.data.TabularReader;
import io.recon.feature.FeatureEncoder;
import io.recon.nn.explainer.FeatureTokens;
import io.recon.nn.explainer.MaskedFeatureModel;
import io.recon.progress.ProgressMeter;

/**
 * {@code train-explainer}: fits the masked-feature transformer on the training rows of a scoring
 * model's bundle (the same table, split and feature encoding, so it reads alerts exactly as that
 * model scored them), measures each feature's surprise over the bundle's held-out normal rows (its
 * calibration part, never the test part), and writes an explainer bundle.
 */
public record TrainExplainerCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("train-explainer",
            "--model DIR --out DIR [options]", "train the masked-feature transformer that explains a model's alerts")
            .required("model", "DIR", "the scoring model's bundle (its training table, split and features)")
            .required("out", "DIR", "the explainer bundle to write")
            .option("epochs", "N", "30", "passes over the training rows")
            .option("batch-size", "N", "256", "rows per optimiser step")
            .option("layers", "N", "1",
                    "encoder layers (one explains each alert in one pass; more need one pass per feature)")
            .option("token-width", "N", "32", "width of each feature token")
            .option("seed", "N", "42", "seed of initialisation, shuffling and masks");

    /** Runs the command; returns the bundle's folder. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        Path modelDir = Path.of(a.required("model"));
        Path outDir = Path.of(a.required("out"));
        MaskedFeatureModel.Settings defaults = MaskedFeatureModel.Settings.defaults();
        MaskedFeatureModel.Settings settings = new MaskedFeatureModel.Settings(a.intValue("epochs"),
                a.intValue("batch-size"), defaults.learningRate(), a.intValue("token-width"), a.intValue("layers"),
                defaults.heads(), defaults.maskRate(), a.longValue("seed"), defaults.progressEvery());
        try (ModelBundle scoring = ModelBundle.load(modelDir, Device.cpu(), mapper)) {
            ModelManifest m = scoring.manifest();
            Path data = Path.of(m.training().dataFile());
            String sha = BundleDigests.sha256(data);
            if (!sha.equalsIgnoreCase(m.training().dataSha256())) {
                throw new IllegalArgumentException(data + " is not the table " + modelDir + " was trained on (sha256 "
                        + sha + ", its manifest says " + m.training().dataSha256() + ")");
            }
            FeatureEncoder encoder = scoring.encoder();
            LabelledTable table = EvaluateCommand.columnsFor(EvaluateCommand.labelled(TabularReader.read(data), m),
                    encoder);
            List<float[]> training = TrainCommand.encode(encoder, table, table.rowsIn(DatasetSplit.Part.TRAIN));
            List<float[]> normals = TrainCommand.encode(encoder, table, table.rowsIn(DatasetSplit.Part.CALIBRATION)
                    .stream().filter(table::isNormal).toList());
            if (normals.isEmpty()) {
                throw new IllegalArgumentException(data + " has no held-out normal rows to measure normal surprise on");
            }
            out.printf("training the masked-feature transformer on %,d rows of %s (%d features), %d epochs%n",
                    training.size(), data, encoder.specs().size(), settings.epochs());
            long started = System.nanoTime();
            ProgressMeter progress = ProgressMeter.forConsole(out);
            try (MaskedFeatureModel model = MaskedFeatureModel.train(FeatureTokens.of(encoder), training, settings,
                    progress)) {
                progress.finish();
                double seconds = Math.round((System.nanoTime() - started) / 1e8) / 10.0;
                ExplainerBundle.NormalSurprise normal = normalSurprise(model.explain(normals),
                        encoder.specs().size());
                out.printf("normal surprise over %,d held-out normal rows (median per feature): %s%n",
                        normals.size(), Arrays.toString(Arrays.stream(normal.median())
                                .map(v -> Math.round(v * 100) / 100.0).toArray()));
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                        .format(now) + "-" + sha.substring(0, 8);
                ExplainerBundle.Manifest manifest = new ExplainerBundle.Manifest(ExplainerBundle.KIND,
                        ExplainerBundle.FORMAT, outDir.getFileName().toString(), version, now.toString(),
                        new ExplainerBundle.Explains(m.name(), m.version()), encoder.specs(), settings,
                        new ExplainerBundle.Training(m.training().dataFile(), sha, m.training().split(),
                                training.size(), normals.size()),
                        new ExplainerBundle.TrainingSummary(model.finalLoss(), model.skippedSteps(), seconds, "cpu()"),
                        normal, null, rebuildLine(modelDir, outDir, settings), null);
                ExplainerBundle.write(mapper, outDir, model, manifest);
                out.printf("wrote %s (%s, %.0f s, %s)%n", outDir, version, seconds, model.skippedSteps().describe());
            }
        }
        return outDir;
    }

    /** Median and 99th percentile of each feature's surprise. */
    static ExplainerBundle.NormalSurprise normalSurprise(List<MaskedFeatureModel.Explanation> rows, int features) {
        double[] median = new double[features];
        double[] p99 = new double[features];
        for (int f = 0; f < features; f++) {
            double[] v = new double[rows.size()];
            for (int r = 0; r < v.length; r++) {
                v[r] = rows.get(r).surprise()[f];
            }
            Arrays.sort(v);
            median[f] = quantile(v, 0.5);
            p99[f] = quantile(v, 0.99);
        }
        return new ExplainerBundle.NormalSurprise(median, p99);
    }

    private static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }

    private static String rebuildLine(Path modelDir, Path outDir, MaskedFeatureModel.Settings s) {
        List<String> words = new ArrayList<>(List.of("java", "-Dai.djl.offline=true", "-jar",
                "target/quarkus-app/quarkus-run.jar", "train-explainer", "--model", modelDir.toString(), "--out",
                outDir.toString(), "--epochs", Integer.toString(s.epochs()), "--batch-size",
                Integer.toString(s.batchSize()), "--layers", Integer.toString(s.layers()), "--token-width",
                Integer.toString(s.tokenWidth()), "--seed", Long.toString(s.seed())));
        return String.join(" ", words);
    }
}
