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
import io.recon.cli.bench.FashionMnistBenchmarkCommand;
import io.recon.data.FashionMnistClass;
import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.SliceRenderer;
import io.recon.nn.EpochRows;
import io.recon.nn.explainer.ImageExplanationMap;
import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;
import io.recon.progress.ProgressMeter;

/**
 * {@code train-image-explainer}: fits the masked-patch transformer on the training images of an
 * image VAE bundle (a CT model's slices, posed as that model was trained, or a one-class
 * Fashion-MNIST model's training images), measures how high the chosen explanation map runs on
 * clean calibration images, and writes an image explainer bundle that the explainer role uses for
 * that model's alerts.
 */
public record TrainImageExplainerCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("train-image-explainer",
            "--model DIR --out DIR [options]", "train the masked-patch transformer that explains an image model's "
                    + "alerts")
            .required("model", "DIR", "the image VAE bundle: a CT model (window, size, slice split) or a one-class "
                    + "Fashion-MNIST model")
            .required("out", "DIR", "the image explainer bundle to write")
            .option("volume", "FILE", CtSliceBenchmarkCommand.DEFAULT_VOLUME.toString(), "CT models: the bundle's "
                    + "CT volume")
            .option("data-dir", "DIR", FashionMnistBenchmarkCommand.DEFAULT_DATA_DIR.toString(), "Fashion-MNIST "
                    + "models: the IDX files")
            .option("epochs", "N", null, "epochs (default " + Source.CT.epochs + " for CT, " + Source.FASHION.epochs
                    + " for Fashion-MNIST)")
            .option("patch", "N", null, "patch side, model pixels (default " + Source.CT.patch + " for CT, "
                    + Source.FASHION.patch + " for Fashion-MNIST)")
            .option("map", "M", null, "the map that explains alerts (default " + Source.CT.map.id() + " for CT, "
                    + Source.FASHION.map.id() + " for Fashion-MNIST: each chosen on that model's validation split)")
            .option("layers", "N", "1", "encoder layers (one explains an image in one pass)")
            .option("copies", "N", "4", "CT: posed copies of each training slice per epoch")
            .option("normal-copies", "N", "12", "CT: posed copies of each calibration slice the normal level is set on")
            .option("seed", "N", "42", "seed of initialisation, poses and masks");

    /** Where the images come from, with the settings chosen for each on its benchmark's validation split. */
    enum Source {
        CT(8, 200, ImageExplanationMap.RESIDUAL_OVER_SPREAD),
        FASHION(4, 20, ImageExplanationMap.GEOMETRIC_MEAN);

        final int patch;
        final int epochs;
        final ImageExplanationMap map;

        Source(int patch, int epochs, ImageExplanationMap map) {
            this.patch = patch;
            this.epochs = epochs;
            this.map = map;
        }

        static Source of(ImageModelManifest m, Path modelDir) {
            if (m.window() != null) {
                return CT;
            }
            if (m.training().normalClass() != null) {
                return FASHION;
            }
            throw new IllegalArgumentException(modelDir + " is neither a CT model (no intensity window in its "
                    + "manifest) nor a one-class Fashion-MNIST model (no normal class)");
        }
    }

    /** What the transformer trained on and the clean images its map's level is measured on. */
    private record Trained(MaskedPatchModel model, List<float[]> normals, ImageExplainerBundle.Training training) {
    }

    /** Runs the command; returns the bundle's folder. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        Path modelDir = Path.of(a.required("model"));
        Path outDir = Path.of(a.required("out"));
        long seed = a.longValue("seed");
        try (ImageModelBundle vae = ImageModelBundle.load(modelDir, Device.cpu(), mapper)) {
            ImageModelManifest m = vae.manifest();
            Source source = Source.of(m, modelDir);
            ImageExplanationMap map = ImageExplanationMap.byId(a.get("map", source.map.id()));
            MaskedPatchModel.Settings settings = CtPatchExplainerTraining.settings(
                    Integer.parseInt(a.get("patch", String.valueOf(source.patch))),
                    Integer.parseInt(a.get("epochs", String.valueOf(source.epochs))), a.intValue("layers"), seed);
            long started = System.nanoTime();
            ProgressMeter progress = ProgressMeter.forConsole(out);
            Trained trained = source == Source.CT ? trainOnCt(a, m, settings, progress)
                    : trainOnFashion(a, m, settings, progress);
            try (MaskedPatchModel model = trained.model()) {
                progress.finish();
                double seconds = Math.round((System.nanoTime() - started) / 1e8) / 10.0;
                String alertScore = m.scoring().alertScore();
                ImageExplanationMap.Scales scales = map == ImageExplanationMap.GEOMETRIC_MEAN
                        ? ImageExplanationMap.Scales.measure(vae.scorer(), alertScore, model, trained.normals())
                        : null;
                ImageExplainerBundle.NormalMap level = normalLevel(vae.scorer(), alertScore, model, map, scales,
                        trained.normals());
                out.printf("%s on %d clean calibration images: p99 %.3f, p99.9 %.3f%n", map.id(),
                        trained.normals().size(), level.p99(), level.p999());
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                        .format(now) + "-" + trained.training().dataSha256().substring(0, 8);
                ImageExplainerBundle.Manifest manifest = new ImageExplainerBundle.Manifest(ImageExplainerBundle.KIND,
                        ImageExplainerBundle.FORMAT, outDir.getFileName().toString(), version, now.toString(),
                        new ExplainerBundle.Explains(m.name(), m.version()), m.width(), m.window(), settings,
                        trained.training(), new ExplainerBundle.TrainingSummary(model.finalLoss(),
                                model.skippedSteps(), seconds, "cpu()"),
                        level, map.id(), scales, null,
                        rebuildLine(modelDir, outDir, source, a), null);
                ImageExplainerBundle.write(mapper, outDir, model, manifest);
                out.printf("wrote %s (%s, %.0f s, %s)%n", outDir, version, seconds, model.skippedSteps().describe());
            }
        }
        return outDir;
    }

    /** The CT model's training slices, posed afresh each epoch; normals: posed calibration slices. */
    private Trained trainOnCt(CommandArgs a, ImageModelManifest m, MaskedPatchModel.Settings settings,
            ProgressMeter progress) {
        Path volumeFile = Path.of(a.get("volume"));
        if (!Files.isRegularFile(volumeFile)) {
            throw new IllegalArgumentException(volumeFile + " not found: install the Debian package "
                    + "invesalius-examples or pass --volume");
        }
        String sha = BundleDigests.sha256(volumeFile);
        int side = m.width();
        CtSliceDataset data = new CtSliceDataset(new Inv3VolumeReader().read(volumeFile),
                new SliceRenderer(m.window(), side), 8, 8, 4000);
        int copies = a.intValue("copies");
        int perEpoch = data.slices(CtSliceDataset.Role.TRAIN).size() * copies;
        out.printf("training the masked-patch transformer on %d posed CT slices per epoch (%dx%d, %d-pixel "
                + "patches), %d epochs%n", perEpoch, side, side, settings.patch(), settings.epochs());
        MaskedPatchModel model = CtPatchExplainerTraining.train(data, side, copies, settings, progress);
        List<float[]> normals = data.posed(CtSliceDataset.Role.CALIBRATION, a.intValue("normal-copies"),
                new Random(settings.seed() + 2));
        return new Trained(model, normals, new ImageExplainerBundle.Training("InVesalius "
                + volumeFile.getFileName() + " (Debian invesalius-examples): the training slices of " + m.name()
                + ", posed " + copies + " times per epoch", sha, perEpoch, normals.size()));
    }

    /**
     * The one-class model's own training images (the same split as its VAE); normals: the class's
     * held-out training images its threshold was calibrated on.
     */
    private Trained trainOnFashion(CommandArgs a, ImageModelManifest m, MaskedPatchModel.Settings settings,
            ProgressMeter progress) {
        Path dataDir = Path.of(a.get("data-dir"));
        FashionMnistClass normal = FashionMnistClass.read(dataDir, m.training().normalClass(),
                m.training().calibrationImages());
        out.printf("training the masked-patch transformer on %d Fashion-MNIST %s images (%dx%d, %d-pixel patches), "
                + "%d epochs%n", normal.pool().size(), normal.name(), m.width(), m.height(), settings.patch(),
                settings.epochs());
        MaskedPatchModel model = MaskedPatchModel.train(m.width(), EpochRows.fixed(normal.pool()), settings, progress);
        return new Trained(model, normal.heldOut(), new ImageExplainerBundle.Training("Fashion-MNIST (Debian "
                + "dataset-fashion-mnist) " + FashionMnistClass.TRAIN_IMAGES + ": the " + normal.pool().size()
                + " training images of class " + normal.label() + " (" + normal.name() + ") that " + m.name()
                + " trained on", BundleDigests.sha256(normal.imagesFile()), normal.pool().size(),
                normal.heldOut().size()));
    }

    /** The map's 99th and 99.9th percentiles over every pixel of clean images. */
    static ImageExplainerBundle.NormalMap normalLevel(ImageVaeScorer vae, String alertScore, MaskedPatchModel model,
            ImageExplanationMap map, ImageExplanationMap.Scales scales, List<float[]> images) {
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(vae, images);
        List<MaskedPatchModel.Explanation> said = model.explain(images);
        int pixels = images.get(0).length;
        float[] all = new float[images.size() * pixels];
        for (int i = 0; i < images.size(); i++) {
            float[] drawn = map.of(images.get(i), scored.get(i), alertScore, said.get(i), scales);
            System.arraycopy(drawn, 0, all, i * pixels, pixels);
        }
        Arrays.sort(all);
        return new ImageExplainerBundle.NormalMap(all[(int) Math.floor(0.99 * (all.length - 1))],
                all[(int) Math.floor(0.999 * (all.length - 1))]);
    }

    private static String rebuildLine(Path modelDir, Path outDir, Source source, CommandArgs a) {
        List<String> words = new ArrayList<>(List.of("java", "-Dai.djl.offline=true", "-jar",
                "target/quarkus-app/quarkus-run.jar", "train-image-explainer", "--model", modelDir.toString(), "--out",
                outDir.toString()));
        List<String> options = source == Source.CT
                ? List.of("epochs", "patch", "map", "layers", "copies", "normal-copies", "seed")
                : List.of("epochs", "patch", "map", "layers", "seed");
        for (String o : options) {
            words.add("--" + o);
            words.add(switch (o) {
                case "epochs" -> a.get(o, String.valueOf(source.epochs));
                case "patch" -> a.get(o, String.valueOf(source.patch));
                case "map" -> a.get(o, source.map.id());
                default -> a.get(o);
            });
        }
        return String.join(" ", words);
    }
}
