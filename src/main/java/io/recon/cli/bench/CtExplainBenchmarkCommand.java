package io.recon.cli.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
import io.recon.nn.explainer.SpreadScaledResidual;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;

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

    /** Methods in report order. */
    static final List<String> METHODS = List.of("vae-heatmap", "patch-surprise", "patch-residual",
            "patch-standardised-residual", "vae+patch-surprise", "vae+patch-residual",
            "vae+patch-standardised-residual", "vae*patch-standardised-residual", "vae-residual/patch-spread");

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
                    out::println)) {
                ObjectNode training = report.putObject("transformer");
                training.set("settings", mapper.valueToTree(settings));
                training.put("finalLoss", patches.finalLoss());
                training.set("optimiserSteps", mapper.valueToTree(patches.skippedSteps()));
                training.put("seconds", seconds(trainStart));
                Map<String, float[][]> maps = maps(bundle, patches, cases, cleanCalibration);
                report.set("results", judge(maps, cases));
            }
            report.put("seconds", seconds(started));
            String name = a.get("report", "explanations-ct-" + split);
            return ReportFiles.write(mapper, Path.of(a.get("out")), name, report, markdown(report), out);
        }
    }

    /** Every method's map of every lesioned image; combinations scaled by each map's clean 99th percentile. */
    private Map<String, float[][]> maps(ImageModelBundle bundle, MaskedPatchModel patches,
            List<CtSliceDataset.Case> cases, List<float[]> clean) {
        List<float[]> lesioned = cases.stream().map(CtSliceDataset.Case::lesioned).toList();
        String alertScore = bundle.manifest().scoring().alertScore();
        Map<String, float[][]> maps = new LinkedHashMap<>();
        maps.put(METHODS.get(0), vaeHeatmaps(bundle.scorer(), alertScore, lesioned));
        Map<String, float[][]> patchMaps = patchMaps(patches, lesioned);
        maps.putAll(patchMaps);
        // Units differ between maps: each is divided by its 99th percentile over clean calibration
        // images (no lesion, no label), so that "as unusual as the top 1% of normal pixels" weighs the
        // same in both.
        double vaeScale = percentile99(vaeHeatmaps(bundle.scorer(), alertScore, clean));
        Map<String, float[][]> cleanPatch = patchMaps(patches, clean);
        for (Map.Entry<String, float[][]> e : patchMaps.entrySet()) {
            double patchScale = percentile99(cleanPatch.get(e.getKey()));
            float[][] vae = maps.get(METHODS.get(0));
            float[][] both = new float[vae.length][];
            for (int i = 0; i < vae.length; i++) {
                both[i] = new float[vae[i].length];
                for (int p = 0; p < both[i].length; p++) {
                    both[i][p] = (float) (0.5 * vae[i][p] / vaeScale + 0.5 * e.getValue()[i][p] / patchScale);
                }
            }
            maps.put("vae+" + e.getKey(), both);
        }
        // Both must find the pixel unusual: the geometric mean of the two scaled maps.
        String standardised = METHODS.get(3);
        double patchScale = percentile99(cleanPatch.get(standardised));
        float[][] vae = maps.get(METHODS.get(0));
        float[][] product = new float[vae.length][];
        for (int i = 0; i < vae.length; i++) {
            product[i] = new float[vae[i].length];
            for (int p = 0; p < vae[i].length; p++) {
                product[i][p] = (float) Math.sqrt(Math.max(0, vae[i][p] / vaeScale)
                        * Math.max(0, patchMaps.get(standardised)[i][p] / patchScale));
            }
        }
        maps.put(METHODS.get(7), product);
        // The VAE's residual in units of the spread the surrounding patches leave for each pixel: an
        // edge the context cannot pin down weighs less than the same residual in flat tissue.
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(bundle.scorer(), lesioned);
        List<MaskedPatchModel.Explanation> said = patches.explain(lesioned);
        float[][] scaled = new float[lesioned.size()][];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = SpreadScaledResidual.of(lesioned.get(i), scored.get(i).reconstruction(),
                    said.get(i).spread());
        }
        maps.put(METHODS.get(8), scaled);
        return maps;
    }

    private static float[][] vaeHeatmaps(ImageVaeScorer scorer, String alertScore, List<float[]> images) {
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(scorer, images);
        float[][] out = new float[images.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ImageAlertScores.heatmap(alertScore, scored.get(i), images.get(i));
        }
        return out;
    }

    private static Map<String, float[][]> patchMaps(MaskedPatchModel patches, List<float[]> images) {
        List<MaskedPatchModel.Explanation> said = patches.explain(images);
        float[][] surprise = new float[images.size()][];
        float[][] residual = new float[images.size()][];
        float[][] standardised = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            float[] x = images.get(i);
            surprise[i] = said.get(i).surprise();
            residual[i] = ImageAlertScores.smoothedResidual(x, said.get(i).expected());
            standardised[i] = ImageAlertScores.smoothedResidual(said.get(i).standardisedResidual(x),
                    new float[x.length]);
        }
        Map<String, float[][]> maps = new LinkedHashMap<>();
        maps.put(METHODS.get(1), surprise);
        maps.put(METHODS.get(2), residual);
        maps.put(METHODS.get(3), standardised);
        return maps;
    }

    private ObjectNode judge(Map<String, float[][]> maps, List<CtSliceDataset.Case> cases) {
        ObjectNode results = mapper.createObjectNode();
        for (Map.Entry<String, float[][]> e : maps.entrySet()) {
            ObjectNode r = results.putObject(e.getKey());
            r.set("all", PixelAgreement.of(e.getValue(), cases, c -> true).toJson(mapper));
            r.set("small", PixelAgreement.of(e.getValue(), cases,
                    c -> c.lesion().radius() < CtSliceEvaluation.SMALL_RADIUS).toJson(mapper));
            r.set("large", PixelAgreement.of(e.getValue(), cases,
                    c -> c.lesion().radius() >= CtSliceEvaluation.SMALL_RADIUS).toJson(mapper));
            out.printf("%-32s %s%n", e.getKey(), r.get("all"));
        }
        return results;
    }

    private static double percentile99(float[][] maps) {
        int total = Arrays.stream(maps).mapToInt(m -> m.length).sum();
        float[] all = new float[total];
        int at = 0;
        for (float[] m : maps) {
            System.arraycopy(m, 0, all, at, m.length);
            at += m.length;
        }
        Arrays.sort(all);
        double q = all[(int) Math.floor(0.99 * (all.length - 1))];
        return q > 0 ? q : 1;
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
        for (String m : METHODS) {
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
