package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.BundleDigests;
import io.recon.bundle.ExplainerBundle;
import io.recon.bundle.ImageExplainerBundle;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ImageModelManifest;
import io.recon.cli.args.CommandArgs;
import io.recon.cli.bench.CtPatchExplainerTraining;
import io.recon.cli.bench.CtSliceBenchmarkCommand;
import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.SliceRenderer;
import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.nn.explainer.SpreadScaledResidual;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;
import io.recon.progress.ProgressMeter;

/**
 * {@code train-image-explainer}: fits the masked-patch transformer on the training slices of a CT
 * image VAE bundle (the same volume, window, size and slice split, posed as that model was trained),
 * measures how high the explainer's map runs on clean calibration slices, and writes an image
 * explainer bundle that the explainer role uses for that model's alerts.
 */
public record TrainImageExplainerCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("train-image-explainer",
            "--model DIR --out DIR [options]", "train the masked-patch transformer that explains a CT model's alerts")
            .required("model", "DIR", "the CT image VAE bundle (window, size; its slices' split)")
            .required("out", "DIR", "the image explainer bundle to write")
            .option("volume", "FILE", CtSliceBenchmarkCommand.DEFAULT_VOLUME.toString(), "the bundle's CT volume")
            .option("epochs", "N", "200", "epochs")
            .option("patch", "N", "8", "patch side, model pixels")
            .option("layers", "N", "1", "encoder layers (one explains an image in one pass)")
            .option("copies", "N", "4", "posed copies of each training slice per epoch")
            .option("normal-copies", "N", "12", "posed copies of each calibration slice the normal level is set on")
            .option("seed", "N", "42", "seed of initialisation, poses and masks");

    /** Runs the command; returns the bundle's folder. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        Path modelDir = Path.of(a.required("model"));
        Path outDir = Path.of(a.required("out"));
        Path volumeFile = Path.of(a.get("volume"));
        if (!Files.isRegularFile(volumeFile)) {
            throw new IllegalArgumentException(volumeFile + " not found: install the Debian package "
                    + "invesalius-examples or pass --volume");
        }
        long seed = a.longValue("seed");
        try (ImageModelBundle vae = ImageModelBundle.load(modelDir, Device.cpu(), mapper)) {
            ImageModelManifest m = vae.manifest();
            if (m.window() == null) {
                throw new IllegalArgumentException(modelDir + " is not a CT model (its manifest has no intensity "
                        + "window); image explainers are built for CT slice models so far");
            }
            String sha = BundleDigests.sha256(volumeFile);
            int side = m.width();
            CtSliceDataset data = new CtSliceDataset(new Inv3VolumeReader().read(volumeFile),
                    new SliceRenderer(m.window(), side), 8, 8, 4000);
            MaskedPatchModel.Settings settings = CtPatchExplainerTraining.settings(a.intValue("patch"),
                    a.intValue("epochs"), a.intValue("layers"), seed);
            int copies = a.intValue("copies");
            int perEpoch = data.slices(CtSliceDataset.Role.TRAIN).size() * copies;
            out.printf("training the masked-patch transformer on %d posed CT slices per epoch (%dx%d, %d-pixel "
                    + "patches), %d epochs%n", perEpoch, side, side, settings.patch(), settings.epochs());
            long started = System.nanoTime();
            ProgressMeter progress = ProgressMeter.forConsole(out);
            try (MaskedPatchModel model = CtPatchExplainerTraining.train(data, side, copies, settings, progress)) {
                progress.finish();
                double seconds = Math.round((System.nanoTime() - started) / 1e8) / 10.0;
                List<float[]> normals = data.posed(CtSliceDataset.Role.CALIBRATION, a.intValue("normal-copies"),
                        new Random(seed + 2));
                ImageExplainerBundle.NormalMap level = normalLevel(vae.scorer(), model, normals);
                out.printf("explainer map on %d clean calibration images: p99 %.3f, p99.9 %.3f%n", normals.size(),
                        level.p99(), level.p999());
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                        .format(now) + "-" + sha.substring(0, 8);
                ImageExplainerBundle.Manifest manifest = new ImageExplainerBundle.Manifest(ImageExplainerBundle.KIND,
                        ImageExplainerBundle.FORMAT, outDir.getFileName().toString(), version, now.toString(),
                        new ExplainerBundle.Explains(m.name(), m.version()), side, m.window(), settings,
                        new ImageExplainerBundle.Training("InVesalius " + volumeFile.getFileName()
                                + " (Debian invesalius-examples): the training slices of " + m.name() + ", posed "
                                + copies + " times per epoch", sha, perEpoch, normals.size()),
                        new ExplainerBundle.TrainingSummary(model.finalLoss(), model.skippedSteps(), seconds, "cpu()"),
                        level, null, rebuildLine(modelDir, outDir, a), null);
                ImageExplainerBundle.write(mapper, outDir, model, manifest);
                out.printf("wrote %s (%s, %.0f s, %s)%n", outDir, version, seconds, model.skippedSteps().describe());
            }
        }
        return outDir;
    }

    /** The explainer map's 99th and 99.9th percentiles over every pixel of clean images. */
    static ImageExplainerBundle.NormalMap normalLevel(ImageVaeScorer vae, MaskedPatchModel model,
            List<float[]> images) {
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(vae, images);
        List<MaskedPatchModel.Explanation> said = model.explain(images);
        int pixels = images.get(0).length;
        float[] all = new float[images.size() * pixels];
        for (int i = 0; i < images.size(); i++) {
            float[] map = SpreadScaledResidual.of(images.get(i), scored.get(i).reconstruction(), said.get(i).spread());
            System.arraycopy(map, 0, all, i * pixels, pixels);
        }
        Arrays.sort(all);
        return new ImageExplainerBundle.NormalMap(all[(int) Math.floor(0.99 * (all.length - 1))],
                all[(int) Math.floor(0.999 * (all.length - 1))]);
    }

    private static String rebuildLine(Path modelDir, Path outDir, CommandArgs a) {
        List<String> words = new ArrayList<>(List.of("java", "-Dai.djl.offline=true", "-jar",
                "target/quarkus-app/quarkus-run.jar", "train-image-explainer", "--model", modelDir.toString(), "--out",
                outDir.toString()));
        for (String o : List.of("epochs", "patch", "layers", "copies", "normal-copies", "seed")) {
            words.add("--" + o);
            words.add(a.get(o));
        }
        return String.join(" ", words);
    }
}
