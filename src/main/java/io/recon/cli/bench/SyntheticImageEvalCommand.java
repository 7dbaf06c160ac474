package io.recon.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import io.recon.bundle.ImageGeneratorKind;
import io.recon.bundle.ImageModelBundle;
import io.recon.cli.args.CommandArgs;
import io.recon.data.FashionMnistClass;
import io.recon.data.IdxImages;
import io.recon.data.IdxReader;
import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.SliceRenderer;
import io.recon.evaluation.MachineInfo;
import io.recon.evaluation.ReportFiles;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.nn.vae.ConvVaeSettings;

/**
 * {@code synthetic-image-eval}: what synthetic images from the image GAN and the image diffusion
 * model are worth, measured on real held-out images in one run: on Fashion-MNIST, a sample grid,
 * a two-sample test, closest-record distances, train-on-synthetic and a one-class model trained on
 * a tenth of a class's real images plus synthetic ones against a tenth and all of them
 * ({@link FashionSyntheticUse}); on the head CT, the bundled model's threshold set on synthetic
 * normal slices together with the real calibration slices ({@link CtSyntheticCalibration}). Writes
 * {@code synthetic-images.json}, {@code .md} and the grids as PNG.
 */
public record SyntheticImageEvalCommand(ObjectMapper mapper, PrintStream out) {

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("synthetic-image-eval",
            "[options]", "synthetic images (DCGAN, DDPM): fidelity and use on Fashion-MNIST and the head CT")
            .option("parts", "fashion,ct", "fashion,ct", "which evaluations to run")
            .option("generators", "G1,G2", "dcgan,ddpm", "image generators: " + String.join(", ",
                    ImageGeneratorKind.names()))
            .option("generator-epochs", "G=N,..", "dcgan=300,ddpm=100", "training epochs per generator (Fashion-MNIST)")
            .option("ct-generators", "G1,G2", "dcgan", "CT image generators (the DDPM's 64x64 U-Net costs ~45 s per "
                    + "epoch of 408 slices on 2 cores: hours for a useful model, so it is not run by default)")
            .option("ct-generator-epochs", "G=N,..", "dcgan=150,ddpm=60", "training epochs per generator (CT)")
            .option("ddim-steps", "N", "25", "DDIM steps when the DDPM samples")
            .option("class", "C", "1", "Fashion-MNIST normal class (label 0-9)")
            .option("fraction", "X", "0.1", "share of the class's training pool the generators and the scarce model "
                    + "learn from")
            .option("held-out", "N", "1000", "last training images of the class that nothing trains on (as the "
                    + "bundle's calibration images)")
            .option("synthetic", "N", "4500", "synthetic Fashion-MNIST images per generator")
            .option("vae-images-seen", "N", "60000", "images each one-class VAE sees in training (epochs = N / "
                    + "training images), so that every VAE gets the same compute")
            .option("alert-score", "S", "negative_elbo_excess", "the one-class score whose AUROC is reported")
            .option("seed", "N", "42", "seed of the VAEs, the generators and sampling")
            .option("data-dir", "DIR", FashionMnistBenchmarkCommand.DEFAULT_DATA_DIR.toString(), "Fashion-MNIST IDX files")
            .option("ct-bundle", "DIR", "models/imaging-vae-ct", "the CT model whose threshold is set again")
            .option("volume", "FILE", CtSliceBenchmarkCommand.DEFAULT_VOLUME.toString(), "the bundle's CT volume")
            .option("ct-copies", "N", "8", "posed copies of each CT training slice the generators learn from")
            .option("ct-synthetic", "N", "240", "synthetic CT slices added to the calibration set")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("report-name", "NAME", "synthetic-images", "report files NAME.json and NAME.md (the grids' names "
                    + "start with it too)");

    /** Reports are written indented, for people reading them. */
    public SyntheticImageEvalCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        List<String> parts = a.list("parts");
        for (String part : parts) {
            if (!part.equals("fashion") && !part.equals("ct")) {
                throw new IllegalArgumentException("--parts takes fashion and ct, not '" + part + "'");
            }
        }
        List<ImageGeneratorKind> kinds = a.list("generators").stream().map(ImageGeneratorKind::named).toList();
        Integer ddimSteps = a.intValue("ddim-steps");
        long seed = a.longValue("seed");
        Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> fashionGenerators = overrides(kinds,
                a.list("generator-epochs"), seed, ddimSteps);
        List<ImageGeneratorKind> ctKinds = a.list("ct-generators").stream().map(ImageGeneratorKind::named).toList();
        Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> ctGenerators = overrides(ctKinds,
                a.list("ct-generator-epochs"), seed, ddimSteps);
        Path outDir = Path.of(a.get("out"));

        ObjectNode report = BenchmarkReport.start(mapper, "Synthetic images: fidelity and use on real held-out images",
                BenchmarkReport.command("synthetic-image-eval", args));
        report.set("machine", MachineInfo.describe(mapper, Device.cpu()));
        Map<String, byte[]> grids = new LinkedHashMap<>();
        long started = System.nanoTime();
        if (parts.contains("fashion")) {
            report.set("fashion", fashion(a, seed, fashionGenerators, grids));
        }
        if (parts.contains("ct")) {
            report.set("ct", ct(a, ctGenerators, grids));
        }
        report.put("totalSeconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        writeGrids(outDir, grids);
        return ReportFiles.write(mapper, outDir, a.get("report-name"), report, SyntheticImageReport.markdown(report),
                out);
    }

    private ObjectNode fashion(CommandArgs a, long seed, Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> kinds,
            Map<String, byte[]> grids) {
        double fraction = a.doubleValue("fraction");
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--fraction must be in (0, 1), got " + fraction);
        }
        Path dir = Path.of(a.get("data-dir"));
        FashionMnistClass images = FashionMnistClass.read(dir, a.intValue("class"), a.intValue("held-out"));
        int c = images.label();
        IdxImages testImages = IdxReader.readImages(existing(dir.resolve("t10k-images-idx3-ubyte.gz")));
        int[] testLabels = IdxReader.readLabels(existing(dir.resolve("t10k-labels-idx1-ubyte.gz")));
        List<float[]> test = new ArrayList<>(testImages.count());
        boolean[] anomalous = new boolean[testImages.count()];
        for (int i = 0; i < testImages.count(); i++) {
            test.add(testImages.image(i).pixels());
            anomalous[i] = testLabels[i] != c;
        }
        ConvVaeSettings vae = new ConvVaeSettings(1, 16, 64, 1e-3, 1, seed, ConvVaeBlock.Likelihood.BERNOULLI, 8,
                ConvVaeBlock.SIDE, ConvVaeBlock.DEFAULT_DOWNSAMPLINGS);
        FashionSyntheticUse.Settings settings = new FashionSyntheticUse.Settings(vae, a.intValue("vae-images-seen"),
                a.get("alert-score"), a.intValue("synthetic"), seed);
        out.printf("Fashion-MNIST: %s; test %d%n", images.describe(fraction), test.size());
        ObjectNode result = new FashionSyntheticUse(images.few(fraction), images.pool(), images.heldOut(), test,
                anomalous)
                .evaluate(settings, kinds, grids, a.get("report-name") + "-fashion-" + c, mapper, out);
        result.put("class", c);
        result.put("className", images.name());
        result.put("selection", images.describe(fraction));
        result.put("fraction", fraction);
        result.put("vaeImagesSeen", settings.imagesSeen());
        result.set("vae", mapper.valueToTree(vae));
        return result;
    }

    private ObjectNode ct(CommandArgs a, Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> kinds,
            Map<String, byte[]> grids) {
        Path volumeFile = existing(Path.of(a.get("volume")));
        try (ImageModelBundle bundle = ImageModelBundle.load(Path.of(a.get("ct-bundle")), Device.cpu(), mapper)) {
            var m = bundle.manifest();
            if (m.window() == null) {
                throw new IllegalArgumentException(a.get("ct-bundle") + " is not a CT model (its manifest has no "
                        + "intensity window)");
            }
            // The slices exactly as ct-slice-benchmark rendered them for the bundle (its defaults).
            CtSliceDataset data = new CtSliceDataset(new Inv3VolumeReader().read(volumeFile),
                    new SliceRenderer(m.window(), m.width()), 8, 8, 4000);
            return new CtSyntheticCalibration(bundle, data, a.intValue("ct-copies"), a.intValue("ct-synthetic"))
                    .evaluate(kinds, grids, a.get("report-name") + "-ct", mapper, out);
        }
    }

    /** Each kind with its epochs from "dcgan=300,ddpm=100" (a kind not named keeps its default). */
    private static Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> overrides(List<ImageGeneratorKind> kinds,
            List<String> epochs, long seed, Integer ddimSteps) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (String e : epochs) {
            String[] kv = e.split("=", 2);
            if (kv.length != 2 || !ImageGeneratorKind.isKind(kv[0].trim())) {
                throw new IllegalArgumentException("generator epochs are given as KIND=N (" + ImageGeneratorKind.names()
                        + "), not '" + e + "'");
            }
            byName.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        }
        Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> out = new LinkedHashMap<>();
        for (ImageGeneratorKind k : kinds) {
            out.put(k, new ImageGeneratorKind.Overrides(byName.get(k.name()), null, seed, null, ddimSteps));
        }
        return out;
    }

    private void writeGrids(Path dir, Map<String, byte[]> grids) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> g : grids.entrySet()) {
                Files.write(dir.resolve(g.getKey()), g.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample grids to " + dir, e);
        }
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " not found: install the Debian package that holds it "
                    + "(dataset-fashion-mnist, invesalius-examples) or pass its option");
        }
        return file;
    }
}
