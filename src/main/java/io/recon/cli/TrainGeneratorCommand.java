package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.bundle.GeneratorBundle;
import io.recon.bundle.GeneratorKind;
import io.recon.bundle.ImageGeneratorKind;
import io.recon.bundle.BundleDigests;
import io.recon.cli.args.CommandArgs;
import io.recon.data.DatasetSplit;
import io.recon.data.FeatureRows;
import io.recon.data.LabelledTable;
import io.recon.nn.TabularGenerator;
import io.recon.progress.ProgressMeter;

/**
 * {@code train-generator}: trains a class-conditional generator of table rows (CTGAN) on the
 * normal rows of the training split {@code train} uses (never calibration or test rows), each
 * row's class its group column, and writes a bundle: the model, and a manifest with the feature
 * schema, the classes, the training data, settings and summary, the command that rebuilds it and
 * the files' digests ({@link GeneratorBundle}).
 */
public record TrainGeneratorCommand(ObjectMapper mapper, PrintStream out) {

    /** What the manifest says of the rows learned from. */
    static final String ROWS_USED = "normal rows of the train split only";
    /** "critic loss 1.2345", "loss 0.12": the losses of a progress line. */
    private static final Pattern LOSS = Pattern.compile("([A-Za-z]+ )?loss (-?[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN)");
    /** An epoch's progress line ("epoch  20/20 ..."), as against a line reporting skipped steps. */
    private static final Pattern EPOCH = Pattern.compile("epoch\\s+\\d+/\\d+");

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = TableOptions.declareOn(
            CommandArgs.Declarations.command("train-generator", "--data FILE [options]",
                    "train a generator of synthetic normal rows, one class per group-column value")
            .option("kind", "K", GeneratorKind.CTGAN.name(), "generator kind: " + String.join(", ",
                    GeneratorKind.names()) + " (for images " + String.join(", ", ImageGeneratorKind.names())
                    + ": see the image form below)")
            .option("out", "DIR", null, "bundle folder (default models/telemetry-KIND)"))
            .option("epochs", "N", null, "passes over the training rows (default: the kind's; ctgan 300, tabddpm 3000)")
            .option("batch-size", "N", null, "rows per step (default: the kind's; ctgan 500, tabddpm 256)")
            .option("seed", "N", null, "seed of initialisation and noise (default: the kind's; 42)")
            .option("progress-every", "N", null, "a progress line every N epochs (default: the kind's; ctgan 10, tabddpm 250)");

    /** Runs the command; returns the bundle folder. */
    public Path run(String[] args) {
        if (ImageGeneratorKind.isKind(kindIn(args))) {
            return new TrainImageGeneratorCommand(mapper, out).run(args);
        }
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        GeneratorKind kind = GeneratorKind.named(a.get("kind"));
        Path outDir = Path.of(a.get("out", "models/telemetry-" + kind.name()));
        GeneratorKind.Overrides overrides = new GeneratorKind.Overrides(integer(a, "epochs"),
                integer(a, "batch-size"), a.has("seed") ? a.longValue("seed") : null, integer(a, "progress-every"));
        Object settings = kind.settings(overrides); // bad settings fail here, before the table is read
        TableOptions.Input input = TableOptions.read(a, mapper);
        if (input.roles().groupColumn() == null) {
            throw new IllegalArgumentException("the generator learns each row's class from the group column, and "
                    + input.file() + " has none: it has no 'generator' column; name one with --group-column");
        }
        LabelledTable labelled = input.labelled();
        List<Integer> trainIdx = SyntheticEvaluateCommand.normals(labelled, DatasetSplit.Part.TRAIN);
        if (trainIdx.isEmpty()) {
            throw new IllegalArgumentException("no normal rows in the train split of " + input.file());
        }
        FeatureRows rows = SyntheticEvaluateCommand.features(labelled, trainIdx);
        List<String> classOfRow = trainIdx.stream().map(labelled::group).toList();
        out.printf("read %,d rows from %s: %,d normal rows of the train split, %d features, %d classes (%s)%n",
                labelled.size(), input.file(), rows.size(), rows.width(),
                classOfRow.stream().distinct().count(), input.roles().groupColumn());

        List<String> progress = new ArrayList<>();
        long started = System.nanoTime();
        ProgressMeter meter = ProgressMeter.forConsole(out);
        GeneratorKind.Trained trained = kind.train(rows, classOfRow, overrides, meter.alsoTo(progress::add));
        meter.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        try (TabularGenerator model = trained.model()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            model.classes().forEach(c -> counts.put(c, 0));
            classOfRow.forEach(c -> counts.merge(c, 1, Integer::sum));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String sha = BundleDigests.sha256(input.file());
            GeneratorBundle.Manifest manifest = new GeneratorBundle.Manifest(kind.name(), GeneratorBundle.FORMAT,
                    DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now) + "-"
                            + sha.substring(0, 8), now.toString(), GeneratorBundle.schemaOf(rows),
                    input.roles().groupColumn(),
                    counts.entrySet().stream().map(e -> new GeneratorBundle.ClassRows(e.getKey(), e.getValue()))
                            .toList(),
                    new GeneratorBundle.Training(input.file().toString(), sha, rows.size(), DatasetSplit.DESCRIPTION,
                            ROWS_USED),
                    mapper.valueToTree(trained.settings()), summary(seconds, trained.report(), progress),
                    kind.layoutFile(), RebuildLine.of(args, a, kind.name(), outDir, mapper.valueToTree(settings)), null);
            GeneratorBundle.write(mapper, outDir, kind, trained, manifest);
        }
        out.printf("wrote %s bundle %s (%.1f s training)%n", kind.name(), outDir, seconds);
        return outDir;
    }

    /**
     * Time, the losses of the last epoch's progress line that has any (not a line reporting skipped
     * steps, which names the loss of the batch it skipped), and the model's own report (the GAN's:
     * its time, final Wasserstein estimate, steps taken and skipped per network).
     */
    ObjectNode summary(double seconds, Object report, List<String> progress) {
        ObjectNode s = mapper.createObjectNode();
        s.put("seconds", Math.round(seconds * 10) / 10.0);
        for (int i = progress.size() - 1; i >= 0; i--) {
            Matcher m = LOSS.matcher(progress.get(i));
            if (EPOCH.matcher(progress.get(i)).find() && m.find()) {
                ObjectNode losses = s.putObject("finalLosses");
                do {
                    losses.put(m.group(1) == null ? "loss" : m.group(1).trim(), Double.parseDouble(m.group(2)));
                } while (m.find());
                s.put("finalProgressLine", progress.get(i).trim());
                break;
            }
        }
        if (report != null) {
            s.set("report", mapper.valueToTree(report));
        }
        return s;
    }

    /** The value of {@code --kind} in {@code args} ("--kind K" or "--kind=K"), or null. */
    static String kindIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--kind") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--kind=")) {
                return args[i].substring("--kind=".length());
            }
        }
        return null;
    }

    private static Integer integer(CommandArgs a, String option) {
        return a.has(option) ? a.intValue(option) : null;
    }
}
