package io.recon.cli.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.bundle.BundleDigests;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ImageModelManifest;
import io.recon.cli.args.CommandArgs;
import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.LesionSampler;
import io.recon.data.medical.SliceRenderer;
import io.recon.evaluation.ReportFiles;
import io.recon.imaging.Volume;
import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.progress.ProgressMeter;

/**
 * {@code ct-explain-benchmark}: does an image explanation point at the lesion? Synthetic lesions
 * are planted in posed head-CT slices the models never trained on, and each method's pixel map is
 * judged against the lesion's mask: pixel AUROC and AUPRC over every pixel of the lesioned images,
 * and how often the map's brightest pixel lies in the lesion. Methods: the bundled CT VAE's heatmap
 * (what image alerts carry), the masked-patch transformer's maps (fitted here on the VAE's training
 * slices: each pixel's surprise with its patch hidden, and the smoothed residual against what the
 * surrounding patches predict, raw and in units of the predicted spread), and each of those averaged
 * with the VAE's heatmap. {@code --split validation} plants the lesions in the calibration slices
 * (for choosing a method); {@code --split test} in the test slices, as {@code ct-slice-benchmark}
 * does, to be read once.
 */
public record CtExplainBenchmarkCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("ct-explain-benchmark",
            "[options]", "pixel AUROC / AUPRC of image explanations against planted CT lesions")
            .option("model", "DIR", "models/imaging-vae-ct", "the CT VAE bundle (window, size, its heatmap)")
            .option("volume", "FILE", CtSliceBenchmarkCommand.DEFAULT_VOLUME.toString(), "the bundle's CT volume")
            .option("split", "S", "validation", "validation (lesions in calibration slices) or test (test slices)")
            .option("variants", "N", "8", "posed copies of each slice, each with a lesion where one fits")
            .option("patch", "N", "8", "patch side of the masked-patch transformer, model pixels")
            .option("epochs", "N", "200", "epochs of the masked-patch transformer")
            .option("copies", "N", "4", "posed copies of each training slice per epoch")
            .option("layers", "N", "1", "transformer layers")
            .option("seed", "N", "42", "seed of poses, lesions and training (42: the CT bundle's own test cases)")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("report", "NAME", null, "report name (default explanations-ct-SPLIT)");

    /** Reports are written indented, for people reading them. */
    public CtExplainBenchmarkCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        String split = a.get("split");
        if (!split.equals("validation") && !split.equals("test")) {
            throw new IllegalArgumentException("--split is validation or test, not '" + split + "'");
        }
        Path volumeFile = Path.of(a.get("volume"));
        if (!Files.isRegularFile(volumeFile)) {
            throw new IllegalArgumentException(volumeFile + " not found: install the Debian package "
                    + "invesalius-examples or pass --volume");
        }
        long seed = a.longValue("seed");
        long started = System.nanoTime();
        try (ImageModelBundle bundle = ImageModelBundle.load(Path.of(a.get("model")), Device.cpu(), mapper)) {
            ImageModelManifest m = bundle.manifest();
            if (m.window() == null) {
                throw new IllegalArgumentException(a.get("model") + " is not a CT model (no intensity window)");
            }
            int side = m.width();
            Volume volume = new Inv3VolumeReader().read(volumeFile);
            // The slices, poses and lesions exactly as ct-slice-benchmark draws them (its defaults).
            CtSliceDataset data = new CtSliceDataset(volume, new SliceRenderer(m.window(), side), 8, 8, 4000);
            List<CtSliceDataset.Case> cases = (split.equals("test")
                    ? data.testCases(a.intValue("variants"), LesionSampler.defaults(), new Random(seed + 1))
                    : data.cases(CtSliceDataset.Role.CALIBRATION, a.intValue("variants"), LesionSampler.defaults(),
                            new Random(seed + 11))).stream().filter(c -> c.lesion() != null).toList();
            List<float[]> cleanCalibration = data.posed(CtSliceDataset.Role.CALIBRATION, 4, new Random(seed + 12));

            ObjectNode report = BenchmarkReport.start(mapper, "Image explanations against planted CT lesions",
                    BenchmarkReport.command("ct-explain-benchmark", args));
            report.put("split", split);
            report.put("model", m.name() + " " + m.version());
            report.put("volume", volumeFile + " (sha256 " + BundleDigests.sha256(volumeFile) + ")");
            report.put("lesionedImages", cases.size());
            report.put("lesions", LesionSampler.defaults().toString());

            MaskedPatchModel.Settings settings = CtPatchExplainerTraining.settings(a.intValue("patch"),
                    a.intValue("epochs"), a.intValue("layers"), seed);
            int copies = a.intValue("copies");
            out.printf("training the masked-patch transformer on %d slices x %d posed copies per epoch, %d epochs%n",
                    data.slices(CtSliceDataset.Role.TRAIN).size(), copies, settings.epochs());
            long trainStart = System.nanoTime();
            try (MaskedPatchModel patches = CtPatchExplainerTraining.train(data, side, copies, settings,
                    ProgressMeter.forConsole(out))) {
                ObjectNode training = report.putObject("transformer");
                training.set("settings", mapper.valueToTree(settings));
                training.put("finalLoss", patches.finalLoss());
                training.set("optimiserSteps", mapper.valueToTree(patches.skippedSteps()));
                training.put("seconds", seconds(trainStart));
                List<float[]> lesioned = cases.stream().map(CtSliceDataset.Case::lesioned).toList();
                Map<String, float[][]> maps = ExplanationMaps.of(bundle.scorer(), m.scoring().alertScore(), patches,
                        lesioned, cleanCalibration);
                report.set("results", judge(maps, cases));
            }
            report.put("seconds", seconds(started));
            String name = a.get("report", "explanations-ct-" + split);
            return ReportFiles.write(mapper, Path.of(a.get("out")), name, report, markdown(report), out);
        }
    }

    private ObjectNode judge(Map<String, float[][]> maps, List<CtSliceDataset.Case> cases) {
        ObjectNode results = mapper.createObjectNode();
        for (Map.Entry<String, float[][]> e : maps.entrySet()) {
            ObjectNode r = results.putObject(e.getKey());
            List<boolean[]> masks = cases.stream().map(CtSliceDataset.Case::mask).toList();
            r.set("all", PixelAgreement.of(e.getValue(), masks, i -> true).toJson(mapper));
            r.set("small", PixelAgreement.of(e.getValue(), masks,
                    i -> cases.get(i).lesion().radius() < CtSliceEvaluation.SMALL_RADIUS).toJson(mapper));
            r.set("large", PixelAgreement.of(e.getValue(), masks,
                    i -> cases.get(i).lesion().radius() >= CtSliceEvaluation.SMALL_RADIUS).toJson(mapper));
            out.printf("%-32s %s%n", e.getKey(), r.get("all"));
        }
        return results;
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }

    static String markdown(ObjectNode report) {
        StringBuilder md = new StringBuilder("# Image explanations against planted CT lesions\n\n");
        md.append("Split: **").append(report.get("split").asText()).append("** (")
                .append(report.get("lesionedImages").asInt()).append(" lesioned images). Model: ")
                .append(report.get("model").asText()).append(". Pixel AUROC and AUPRC over every pixel of the "
                        + "lesioned images (lesion pixels positive); hit: the map's brightest pixel lies in the "
                        + "lesion.\n\n");
        md.append("| method | AUROC | AUPRC | AUPRC small | AUPRC large | hit |\n|---|---:|---:|---:|---:|---:|\n");
        ObjectNode results = (ObjectNode) report.get("results");
        for (String m : ExplanationMaps.METHODS) {
            var r = results.get(m);
            md.append("| ").append(m).append(" | ").append(r.get("all").get("auroc").asText()).append(" | ")
                    .append(r.get("all").get("auprc").asText()).append(" | ")
                    .append(r.get("small").get("auprc").asText()).append(" | ")
                    .append(r.get("large").get("auprc").asText()).append(" | ")
                    .append(r.get("all").get("hit").asText()).append(" |\n");
        }
        md.append("\nCommand: `").append(report.get("command").asText()).append("` (")
                .append(report.get("seconds").asDouble()).append(" s; ").append(report.get("date").asText())
                .append(").\n");
        return md.toString();
    }
}
