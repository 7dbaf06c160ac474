package io.recon.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import io.recon.cli.args.CommandArgs;
import io.recon.cli.bench.CtSliceBenchmarkCommand;
import io.recon.cli.bench.FashionMnistBenchmarkCommand;
import io.recon.data.FashionMnistClass;
import io.recon.data.IdxImages;
import io.recon.data.IdxReader;
import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.LesionSampler;
import io.recon.data.medical.SliceRenderer;
import io.recon.data.medical.SyntheticLesion;
import io.recon.imaging.Volume;
import io.recon.imaging.Window;
import io.recon.imaging.codec.DicomWriter;

/**
 * {@code replay-sample}: writes the small, fixed image sample the replay role streams into
 * {@code imaging.events} (by default {@code tests/data/imaging/replay}), from the installed Debian
 * packages, so that a fresh machine needs neither:
 * <ul>
 * <li>Fashion-MNIST <em>test</em> images (never trained or calibrated on), the first few of each
 * class in file order, as 28x28 PNG: the bundled Trouser model should alert on the other classes
 * and mostly not on Trousers;</li>
 * <li>held-out test slices of the head CT Cranium.inv3 (z % 4 == 2: neither trained nor calibrated
 * on by imaging-vae-ct), each in a random pose within the model's augmentation range, as DICOM in
 * Hounsfield units: some clean, some with a synthetic lesion planted by {@link LesionSampler}
 * exactly as the CT benchmarks plant them (the largest bright lesions, and the largest dark one,
 * among {@code variants} posed cases per slice).</li>
 * </ul>
 * It also writes {@code index.csv}: each file, its modality, encoding, what it is and whether the
 * bundled models should call it normal.
 */
public record ReplaySampleCommand(PrintStream out) {

    /** The options and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = CommandArgs.Declarations.command("replay-sample",
            "[--out DIR] [--fashion-per-class N] [--ct-clean N] [--ct-lesioned N]",
            "write the image sample the replay role streams (Fashion-MNIST test PNGs, held-out CT slices as DICOM)")
            .option("fashion-dir", "DIR", FashionMnistBenchmarkCommand.DEFAULT_DATA_DIR.toString(),
                    "Fashion-MNIST IDX files (Debian dataset-fashion-mnist)")
            .option("volume", "FILE", CtSliceBenchmarkCommand.DEFAULT_VOLUME.toString(),
                    "InVesalius .inv3 head CT (Debian invesalius-examples)")
            .option("normal-class", "N", "1", "the Fashion-MNIST class of the bundled model (Trouser)")
            .option("normal-images", "N", "6", "test images of the normal class")
            .option("fashion-per-class", "N", "2", "test images of every other class")
            .option("ct-clean", "N", "3", "held-out CT slices without a lesion")
            .option("ct-lesioned", "N", "5", "held-out CT slices with a synthetic lesion (one of them dark)")
            .option("variants", "N", "4", "posed cases per held-out slice to choose lesions from")
            .option("seed", "N", "42", "pose and lesion seed")
            .option("out", "DIR", "tests/data/imaging/replay", "output folder (its .png/.dcm files are replaced)");

    /** The CT model's input (imaging-vae-ct): side, window, augmentation range, brain-slice rule. */
    private static final int CT_SIDE = 64;
    private static final double MAX_DEGREES = 8;
    private static final double MAX_SHIFT = 8;
    private static final int MIN_BRAIN_PIXELS = 4000;

    /** Runs with command-line options; returns the folder written. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        Path fashionDir = Path.of(a.get("fashion-dir"));
        Path volumeFile = Path.of(a.get("volume"));
        Path images = fashionDir.resolve(FashionMnistClass.TEST_IMAGES);
        Path labels = fashionDir.resolve(FashionMnistClass.TEST_LABELS);
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new IllegalArgumentException(images + " not found: install the Debian package dataset-fashion-mnist"
                    + " or pass --fashion-dir");
        }
        if (!Files.isRegularFile(volumeFile)) {
            throw new IllegalArgumentException(volumeFile + " not found: install the Debian package "
                    + "invesalius-examples or pass --volume");
        }
        Path dir = Path.of(a.get("out"));
        List<String> index = new ArrayList<>();
        index.add("file,modality,encoding,expected,what");
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".dcm")).toList()) {
                    Files.delete(p);
                }
            }
            fashion(IdxReader.readImages(images), IdxReader.readLabels(labels), a, dir, index);
            ct(new Inv3VolumeReader().read(volumeFile), volumeFile, a, dir, index);
            Files.writeString(dir.resolve("index.csv"), String.join("\n", index) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sample to " + dir, e);
        }
        out.printf("wrote %d images and index.csv to %s%n", index.size() - 1, dir);
        return dir;
    }

    private void fashion(IdxImages test, int[] labels, CommandArgs a, Path dir, List<String> index) throws IOException {
        int normalClass = a.intValue("normal-class");
        int[] wanted = new int[FashionMnistClass.CLASS_NAMES.size()];
        for (int c = 0; c < wanted.length; c++) {
            wanted[c] = c == normalClass ? a.intValue("normal-images") : a.intValue("fashion-per-class");
        }
        for (int i = 0; i < test.count(); i++) {
            int c = labels[i];
            if (wanted[c] == 0) {
                continue;
            }
            wanted[c]--;
            String name = FashionMnistClass.CLASS_NAMES.get(c);
            String file = String.format(Locale.ROOT, "fashion-t10k-%05d-class-%d-%s.png", i, c, slug(name));
            Files.write(dir.resolve(file), test.image(i).toPng());
            index.add(String.join(",", file, "photo", "png", c == normalClass ? "normal" : "anomalous",
                    "Fashion-MNIST test image " + i + " (" + name + ")"));
        }
    }

    private void ct(Volume volume, Path volumeFile, CommandArgs a, Path dir, List<String> index) throws IOException {
        CtSliceDataset data = new CtSliceDataset(volume, new SliceRenderer(Window.CT_BRAIN, CT_SIDE), MAX_DEGREES,
                MAX_SHIFT, MIN_BRAIN_PIXELS);
        List<CtSliceDataset.Case> cases = data.testCases(a.intValue("variants"), LesionSampler.defaults(),
                new Random(a.longValue("seed")));
        // Lesions: the largest bright ones, then the largest dark one, one per slice.
        int lesioned = a.intValue("ct-lesioned");
        int dark = lesioned > 1 ? 1 : 0;
        Set<Integer> used = new HashSet<>();
        List<CtSliceDataset.Case> picked = new ArrayList<>();
        picked.addAll(largest(cases, "bright", lesioned - dark, used));
        picked.addAll(largest(cases, "dark", dark, used));
        // Clean slices: spread over the remaining held-out slices, the first pose of each.
        List<CtSliceDataset.Case> firstPoses = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (CtSliceDataset.Case c : cases) {
            if (!used.contains(c.slice()) && seen.add(c.slice())) {
                firstPoses.add(c);
            }
        }
        int clean = Math.min(a.intValue("ct-clean"), firstPoses.size());
        List<CtSliceDataset.Case> cleanCases = new ArrayList<>();
        for (int k = 0; k < clean; k++) {
            cleanCases.add(firstPoses.get((int) ((k + 0.5) * firstPoses.size() / clean)));
        }
        String volumeName = volumeFile.getFileName().toString();
        for (CtSliceDataset.Case c : cleanCases) {
            write(volume, volumeName, c, false, dir, index);
        }
        for (CtSliceDataset.Case c : picked) {
            write(volume, volumeName, c, true, dir, index);
        }
    }

    private static List<CtSliceDataset.Case> largest(List<CtSliceDataset.Case> cases, String kind, int n,
            Set<Integer> used) {
        List<CtSliceDataset.Case> sorted = cases.stream().filter(c -> c.lesion() != null && c.lesion().kind().equals(kind))
                .sorted(Comparator.comparingDouble((CtSliceDataset.Case c) -> c.lesion().radius()).reversed()).toList();
        List<CtSliceDataset.Case> out = new ArrayList<>();
        for (CtSliceDataset.Case c : sorted) {
            if (out.size() < n && used.add(c.slice())) {
                out.add(c);
            }
        }
        return out;
    }

    private static void write(Volume volume, String volumeName, CtSliceDataset.Case c, boolean withLesion, Path dir,
            List<String> index) throws IOException {
        float[] hu = c.transform().apply(volume.sliceValues(c.slice()), volume.nx(), volume.ny(),
                CtSliceDataset.AIR_HU);
        SyntheticLesion l = withLesion ? c.lesion() : null;
        if (l != null) {
            hu = l.applyTo(hu, volume.nx(), volume.ny());
        }
        short[] values = new short[hu.length];
        for (int i = 0; i < hu.length; i++) {
            values[i] = DicomWriter.toInt16(hu[i]);
        }
        String pose = String.format(Locale.ROOT, "pose %.1f deg, shift %.1f/%.1f px", c.transform().degrees(),
                c.transform().dx(), c.transform().dy());
        String lesion = l == null ? "no lesion" : String.format(Locale.ROOT,
                "synthetic %s lesion %+.0f HU, radius %.1f px, aspect %.2f, at (%.0f, %.0f)", l.kind(), l.deltaHu(),
                l.radius(), l.aspect(), l.cx(), l.cy());
        String what = String.format(Locale.ROOT, "%s axial slice %d (held out), %s, %s", volumeName, c.slice(), pose,
                lesion);
        String file = String.format(Locale.ROOT, "ct-%s-slice-%03d-%s.dcm", slug(volumeName.replaceFirst("\\.inv3$", "")),
                c.slice(), l == null ? "clean" : "lesion-" + l.kind());
        double[] spacing = volume.spacing();
        Files.write(dir.resolve(file), DicomWriter.write(new DicomWriter.Slice(volume.nx(), volume.ny(), values,
                new double[] {spacing[1], spacing[0]}, "CT", Window.CT_BRAIN, "InVesalius^Cranium", "cranium",
                "recon-replay-sample/" + volumeName, c.slice(), what, l != null)));
        index.add(String.join(",", file, "CT", "dicom", l == null ? "normal" : "anomalous", what.replace(",", ";")));
    }

    private static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
