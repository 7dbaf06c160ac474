package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.bundle.BundleDigests;
import io.recon.bundle.ImageGeneratorBundle;
import io.recon.bundle.ImageGeneratorKind;
import io.recon.cli.args.CommandArgs;
import io.recon.data.FashionMnistClass;
import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.SliceRenderer;
import io.recon.imaging.Window;
import io.recon.nn.ImageGenerator;
import io.recon.progress.ProgressMeter;

/**
 * {@code train-generator --kind dcgan|ddpm}: trains an image generator on normal images of one kind
 * and writes its bundle ({@link ImageGeneratorBundle}). Two sources: a share of one Fashion-MNIST
 * class's training pool (never its held-out tail), or posed copies of the head CT's training
 * slices rendered as the CT model sees them (never its calibration or test slices).
 */
public record TrainImageGeneratorCommand(ObjectMapper mapper, PrintStream out) {

    /** The CT slices' pose range and brain-pixel floor, as {@code ct-slice-benchmark} uses them. */
    private static final double MAX_DEGREES = 8;
    private static final double MAX_SHIFT = 8;
    private static final int MIN_BRAIN_PIXELS = 4000;

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("train-generator",
            "--kind dcgan|ddpm --images fashion-mnist|ct [options]",
            "train a generator of synthetic normal images of one kind")
            .required("kind", "K", "image generator kind: " + String.join(", ", ImageGeneratorKind.names()))
            .required("images", "S", "fashion-mnist (one class) or ct (the head CT's brain slices)")
            .option("out", "DIR", null, "bundle folder (default models/imaging-KIND-fashion-C or models/imaging-KIND-ct)")
            .option("epochs", "N", null, "passes over the images (default: the kind's; dcgan 30, ddpm 100)")
            .option("batch-size", "N", null, "images per step (default: the kind's; 64)")
            .option("seed", "N", null, "seed of initialisation, shuffling and noise (default: the kind's; 42)")
            .option("progress-every", "N", null, "a progress line every N epochs (default: the kind's)")
            .option("sampling-steps", "N", null, "DDIM steps the DDPM samples with (default 50)")
            .option("class", "C", "1", "Fashion-MNIST class (label 0-9)")
            .option("fraction", "X", "0.1", "share of the class's training pool learned from")
            .option("held-out", "N", "1000", "last training images of the class kept away (the one-class model's "
                    + "calibration images)")
            .option("data-dir", "DIR", "/usr/share/datasets/fashion-mnist", "Fashion-MNIST IDX files")
            .option("volume", "FILE", "/usr/share/doc/invesalius-examples/examples/Cranium.inv3", "InVesalius CT")
            .option("side", "N", "64", "CT slice side")
            .option("window-center", "HU", "40", "CT intensity window centre (as the CT model's)")
            .option("window-width", "HU", "80", "CT intensity window width")
            .option("copies", "N", "8", "randomly posed copies of each CT training slice");

    /** Runs the command; returns the bundle folder. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        ImageGeneratorKind kind = ImageGeneratorKind.named(a.required("kind"));
        ImageGeneratorKind.Overrides overrides = new ImageGeneratorKind.Overrides(integer(a, "epochs"),
                integer(a, "batch-size"), a.has("seed") ? a.longValue("seed") : null, integer(a, "progress-every"),
                integer(a, "sampling-steps"));
        Source source = switch (a.required("images")) {
            case "fashion-mnist" -> fashion(a);
            case "ct" -> ct(a, overrides.seed() == null ? 42 : overrides.seed());
            default -> throw new IllegalArgumentException("--images is fashion-mnist or ct, not '" + a.get("images")
                    + "'");
        };
        Path outDir = Path.of(a.get("out", "models/imaging-" + kind.name() + "-" + source.folderSuffix()));
        out.printf("training %s on %s%n", kind.name(), source.training().selection());
        List<String> progress = new ArrayList<>();
        long started = System.nanoTime();
        ProgressMeter meter = ProgressMeter.forConsole(out);
        ImageGeneratorKind.Trained trained = kind.train(source.images(), source.side(), overrides,
                meter.alsoTo(progress::add));
        meter.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        try (ImageGenerator model = trained.model()) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            ObjectNode summary = mapper.createObjectNode();
            summary.put("seconds", Math.round(seconds * 10) / 10.0);
            if (!progress.isEmpty()) {
                summary.put("finalProgressLine", progress.get(progress.size() - 1).trim());
            }
            if (trained.report() != null) {
                summary.set("report", mapper.valueToTree(trained.report()));
            }
            ImageGeneratorBundle.Manifest manifest = new ImageGeneratorBundle.Manifest(kind.name(),
                    ImageGeneratorBundle.FORMAT, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                            .withZone(ZoneOffset.UTC).format(now) + "-" + source.training().dataSha256().substring(0, 8),
                    now.toString(), source.side(), source.modality(), source.imageClass(), source.pixelScale(),
                    source.training(), mapper.valueToTree(trained.settings()), summary, kind.layoutFile(),
                    RebuildLine.of(args, a, kind.name(), outDir, mapper.valueToTree(trained.settings())), null);
            ImageGeneratorBundle.write(mapper, outDir, kind, model, manifest);
        }
        out.printf("wrote %s bundle %s (%.1f s training)%n", kind.name(), outDir, seconds);
        return outDir;
    }

    /** What a generator learns from, and what its manifest says of it. */
    private record Source(List<float[]> images, int side, String modality, String imageClass, String pixelScale,
            ImageGeneratorBundle.Training training, String folderSuffix) {
    }

    private static Source fashion(CommandArgs a) {
        double fraction = a.doubleValue("fraction");
        FashionMnistClass c = FashionMnistClass.read(Path.of(a.get("data-dir")), a.intValue("class"),
                a.intValue("held-out"));
        List<float[]> images = c.few(fraction);
        return new Source(images, 28, ImageGeneratorBundle.OTHER_MODALITY, c.name(), "byte / 255",
                new ImageGeneratorBundle.Training("Fashion-MNIST (Debian dataset-fashion-mnist)",
                        c.imagesFile().toString(), BundleDigests.sha256(c.imagesFile()), images.size(),
                        c.describe(fraction)), "fashion-" + c.label());
    }

    private static Source ct(CommandArgs a, long seed) {
        Path volume = Path.of(a.get("volume"));
        if (!Files.isRegularFile(volume)) {
            throw new IllegalArgumentException(volume + " not found: install the Debian package invesalius-examples "
                    + "or pass --volume");
        }
        Window window = new Window(a.doubleValue("window-center"), a.doubleValue("window-width"));
        int side = a.intValue("side");
        int copies = a.intValue("copies");
        CtSliceDataset data = new CtSliceDataset(new Inv3VolumeReader().read(volume), new SliceRenderer(window, side),
                MAX_DEGREES, MAX_SHIFT, MIN_BRAIN_PIXELS);
        int slices = data.slices(CtSliceDataset.Role.TRAIN).size();
        // The poses' own stream, as ct-slice-benchmark draws its training poses.
        List<float[]> images = data.posed(CtSliceDataset.Role.TRAIN, copies, new Random(seed + 3));
        return new Source(images, side, "CT", "head-ct-brain-slice", "CT " + window + " HU, area-averaged to "
                + side + "x" + side, new ImageGeneratorBundle.Training("InVesalius " + volume.getFileName()
                        + " (Debian invesalius-examples)", volume.toString(), BundleDigests.sha256(volume),
                        images.size(), copies + " randomly posed copies (rotation up to +-" + MAX_DEGREES + " degrees, "
                        + "shift up to +-" + MAX_SHIFT + " px) of each of the " + slices + " training brain slices "
                        + "(z % 4 != 2 and z % 8 != 0); calibration (z % 8 == 0) and test (z % 4 == 2) slices never "
                        + "seen"), "ct");
    }

    private static Integer integer(CommandArgs a, String option) {
        return a.has(option) ? a.intValue(option) : null;
    }
}
