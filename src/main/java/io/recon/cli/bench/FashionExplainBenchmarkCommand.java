package io.recon.cli.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ImageModelManifest;
import io.recon.cli.args.CommandArgs;
import io.recon.data.FashionMnistClass;
import io.recon.evaluation.ReportFiles;
import io.recon.nn.EpochRows;
import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.progress.ProgressMeter;

/**
 * {@code fashion-explain-benchmark}: the image explanation benchmark on Fashion-MNIST. A square of
 * another class's image is pasted into images of the one-class model's class ({@link PastedPatch});
 * each method's pixel map is judged against the pixels the paste changed (pixel AUROC, AUPRC, peak
 * hit), the same methods as {@code ct-explain-benchmark}. {@code --split validation} pastes into the
 * class's held-out training images (the bundle's calibration images, never trained on); {@code
 * --split test} into its test-set images, to be read once.
 */
public record FashionExplainBenchmarkCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command(
            "fashion-explain-benchmark", "[options]",
            "pixel AUROC / AUPRC of image explanations against patches pasted into Fashion-MNIST images")
            .option("model", "DIR", "models/imaging-vae-fashion-1", "the one-class Fashion-MNIST VAE bundle")
            .option("data-dir", "DIR", FashionMnistBenchmarkCommand.DEFAULT_DATA_DIR.toString(), "IDX files")
            .option("split", "S", "validation", "validation (held-out training images) or test (test images)")
            .option("images", "N", "500", "images that get a pasted patch")
            .option("patch", "N", "4", "patch side of the masked-patch transformer, pixels")
            .option("epochs", "N", "20", "epochs of the masked-patch transformer")
            .option("layers", "N", "1", "transformer layers")
            .option("seed", "N", "42", "seed of pastes and training")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("report", "NAME", null, "report name (default explanations-fashion-SPLIT)");

    /** Reports are written indented, for people reading them. */
    public FashionExplainBenchmarkCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        String split = a.get("split");
        if (!split.equals("validation") && !split.equals("test")) {
            throw new IllegalArgumentException("--split is validation or test, not '" + split + "'");
        }
        Path dataDir = Path.of(a.get("data-dir"));
        long seed = a.longValue("seed");
        long started = System.nanoTime();
        try (ImageModelBundle bundle = ImageModelBundle.load(Path.of(a.get("model")), Device.cpu(), mapper)) {
            ImageModelManifest m = bundle.manifest();
            Integer label = m.training().normalClass();
            if (label == null) {
                throw new IllegalArgumentException(a.get("model") + " is not a one-class Fashion-MNIST model");
            }
            FashionMnistClass normal = FashionMnistClass.read(dataDir, label, m.training().calibrationImages());
            List<float[]> donors = FashionMnistClass.imagesWhere(dataDir.resolve(FashionMnistClass.TRAIN_IMAGES),
                    dataDir.resolve(FashionMnistClass.TRAIN_LABELS), l -> l != label);
            List<float[]> targets = split.equals("test")
                    ? FashionMnistClass.imagesWhere(dataDir.resolve(FashionMnistClass.TEST_IMAGES),
                            dataDir.resolve(FashionMnistClass.TEST_LABELS), l -> l == label)
                    : normal.heldOut();
            Random random = new Random(seed + (split.equals("test") ? 1 : 11));
            List<float[]> clean = new ArrayList<>();
            List<float[]> pasted = new ArrayList<>();
            List<boolean[]> masks = new ArrayList<>();
            for (int i = 0; i < targets.size() && pasted.size() < a.intValue("images"); i++) {
                PastedPatch p = PastedPatch.into(targets.get(i), donors, random);
                if (p != null) {
                    clean.add(targets.get(i));
                    pasted.add(p.image());
                    masks.add(p.mask());
                }
            }
            ObjectNode report = BenchmarkReport.start(mapper, "Image explanations against pasted Fashion-MNIST "
                    + "patches", BenchmarkReport.command("fashion-explain-benchmark", args));
            report.put("split", split);
            report.put("model", m.name() + " " + m.version());
            report.put("normalClass", label + " (" + normal.name() + ")");
            report.put("pastedImages", pasted.size());
            report.put("pastes", "a " + PastedPatch.MIN_SIDE + "-" + PastedPatch.MAX_SIDE + " px square of a "
                    + "training image of another class pasted at the same place; truth: the pixels it changed by more "
                    + "than " + PastedPatch.CHANGED + "; pastes changing the square by less than "
                    + PastedPatch.MIN_MEAN_CHANGE + " on average redrawn");

            int side = m.width();
            MaskedPatchModel.Settings settings = CtPatchExplainerTraining.settings(a.intValue("patch"),
                    a.intValue("epochs"), a.intValue("layers"), seed);
            out.printf("training the masked-patch transformer on %d %s images, %d epochs%n", normal.pool().size(),
                    normal.name(), settings.epochs());
            long trainStart = System.nanoTime();
            try (MaskedPatchModel patches = MaskedPatchModel.train(side, EpochRows.fixed(normal.pool()), settings,
                    ProgressMeter.forConsole(out))) {
                ObjectNode training = report.putObject("transformer");
                training.set("settings", mapper.valueToTree(settings));
                training.put("finalLoss", patches.finalLoss());
                training.set("optimiserSteps", mapper.valueToTree(patches.skippedSteps()));
                training.put("seconds", seconds(trainStart));
                Map<String, float[][]> maps = ExplanationMaps.of(bundle.scorer(), m.scoring().alertScore(), patches,
                        pasted, clean);
                ObjectNode results = report.putObject("results");
                for (Map.Entry<String, float[][]> e : maps.entrySet()) {
                    ObjectNode r = results.putObject(e.getKey());
                    r.set("all", PixelAgreement.of(e.getValue(), masks, i -> true).toJson(mapper));
                    out.printf("%-32s %s%n", e.getKey(), r.get("all"));
                }
            }
            report.put("seconds", seconds(started));
            String name = a.get("report", "explanations-fashion-" + split);
            return ReportFiles.write(mapper, Path.of(a.get("out")), name, report, markdown(report), out);
        }
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }

    static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Image explanations against pasted Fashion-MNIST patches\n\n");
        md.append("Split: **").append(report.get("split").asText()).append("** (")
                .append(report.get("pastedImages").asInt()).append(" images of class ")
                .append(report.get("normalClass").asText()).append("). Model: ").append(report.get("model").asText())
                .append(". Pastes: ").append(report.get("pastes").asText()).append(". Pixel AUROC and AUPRC over "
                        + "every pixel of the pasted images; hit: the map's brightest pixel lies in the paste.\n\n");
        md.append("| method | AUROC | AUPRC | hit |\n|---|---:|---:|---:|\n");
        for (String m : ExplanationMaps.METHODS) {
            var r = report.get("results").get(m).get("all");
            md.append("| ").append(m).append(" | ").append(r.get("auroc").asText()).append(" | ")
                    .append(r.get("auprc").asText()).append(" | ").append(r.get("hit").asText()).append(" |\n");
        }
        md.append("\nCommand: `").append(report.get("command").asText()).append("` (")
                .append(report.get("seconds").asDouble()).append(" s; ").append(report.get("date").asText())
                .append(").\n");
        return md.toString();
    }
}
