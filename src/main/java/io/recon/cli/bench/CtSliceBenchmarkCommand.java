package io.recon.cli.bench;

import io.recon.evaluation.MachineInfo;
import io.recon.evaluation.ReportFiles;
import io.recon.cli.args.CommandArgs;
import io.recon.bundle.ImageBundleWriter;
import io.recon.nn.vae.ConvVaeSettings;
import io.recon.nn.vae.ConvVaeTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.bundle.BundleDigests;
import io.recon.imaging.codec.DicomImage;
import io.recon.imaging.codec.DicomImageDecoder;
import io.recon.data.Inv3VolumeReader;
import io.recon.imaging.codec.NiftiVolumeReader;
import io.recon.imaging.Volume;
import io.recon.imaging.Window;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.LesionSampler;
import io.recon.data.medical.RigidTransform;
import io.recon.data.medical.SliceRenderer;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.bundle.ImageModelManifest;
import io.recon.nn.EpochRows;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * {@code ct-slice-benchmark}: trains a convolutional VAE on the normal axial slices of one head CT
 * (InVesalius' {@code Cranium.inv3}), sets its threshold on calibration slices, and evaluates it
 * on held-out slices with synthetic lesions (image- and pixel-level AUROC) and on
 * out-of-distribution inputs (an MRI, other CT scans, the right CT through the wrong window).
 * Optionally saves the model as a bundle the service loads ({@code models/imaging-vae-ct}).
 */
public record CtSliceBenchmarkCommand(ObjectMapper mapper, PrintStream out) {

    /** Where the Debian package {@code invesalius-examples} puts the head CT. */
    public static final Path DEFAULT_VOLUME = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");
    /** The T1 MRI template of {@code mricron-data}, an out-of-distribution modality. */
    public static final Path DEFAULT_MRI = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
    /** Single CT slices of other subjects and body parts, read when present. */
    public static final List<Path> DEFAULT_OOD_DICOM = List.of(Path.of("src/test/resources/imaging/CT_small.dcm"),
            Path.of("/usr/share/octave/packages/dicom-0.5.1/imdata/CT-MONO2-16-ankle.dcm"));

    /** The options, their defaults and the usage generated from them. */
    public static final CommandArgs.Declarations OPTIONS = new ConvVaeOptions(400, 32, 32, 20).declareOn(
            CommandArgs.Declarations.command("ct-slice-benchmark", "[options]",
                    "head-CT slice VAE: synthetic lesions, pixel/image AUROC, OOD inputs")
            .option("volume", "FILE", null, "InVesalius .inv3 CT (default Cranium.inv3 of invesalius-examples)")
            .option("side", "N", "64", "model input side")
            .option("downsamplings", "N", "3", "stride-2 layers of the encoder")
            .option("window-center", "HU", "40", "intensity window centre (the clinical brain window)")
            .option("window-width", "HU", "80", "intensity window width"))
            .option("copies", "N", "4", "randomly posed copies of each training slice per epoch")
            .option("variants", "N", "8", "posed copies of each test slice, each clean and lesioned")
            .option("calibration-copies", "N", "12", "posed copies of each calibration slice")
            .option("max-degrees", "X", "8", "pose rotation range, degrees")
            .option("max-shift", "PX", "8", "pose shift range, source pixels")
            .option("min-brain-pixels", "N", "4000", "intracranial brain pixels a slice needs to be used")
            .option("target-fpr", "X", "0.02", "false-positive rate of the threshold")
            .option("alert-score", "S", ImageAlertScores.LOCAL_RESIDUAL, "the alert score")
            .option("ood-mri", "FILE", null, "NIfTI MRI (default ch2.nii.gz of mricron-data; skipped if absent)")
            .option("ood-dicom", "F1,F2", null, "other CT slices (default CT_small.dcm, octave-dicom's ankle CT, if "
                    + "present)")
            .option("out", "DIR", "tests/bench/results", "report folder")
            .option("bundle-dir", "DIR", null, "also save the model as a bundle (e.g. models/imaging-vae-ct)");

    /** Reports are written indented, for people reading them. */
    public CtSliceBenchmarkCommand {
        mapper = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Runs the command; returns the JSON report's path. */
    public Path run(String[] args) {
        CommandArgs a = CommandArgs.parse(args, OPTIONS);
        ConvVaeSettings s = ConvVaeOptions.read(a, a.intValue("side"), a.intValue("downsamplings"));
        Window window = new Window(a.doubleValue("window-center"), a.doubleValue("window-width"));
        Path volumeFile = Path.of(a.get("volume", DEFAULT_VOLUME.toString()));
        if (!Files.isRegularFile(volumeFile)) {
            throw new IllegalArgumentException(volumeFile + " not found: install the Debian package "
                    + "invesalius-examples or pass --volume");
        }
        Volume volume = new Inv3VolumeReader().read(volumeFile);
        SliceRenderer renderer = new SliceRenderer(window, s.side());
        CtSliceDataset data = new CtSliceDataset(volume, renderer, a.doubleValue("max-degrees"),
                a.doubleValue("max-shift"), a.intValue("min-brain-pixels"));
        // Evaluation and calibration data come from their own random streams, so that changing a
        // training setting never changes what the model is tested on.
        List<CtSliceDataset.Case> cases = data.testCases(a.intValue("variants"), LesionSampler.defaults(),
                new Random(s.seed() + 1));
        List<float[]> calibrationImages = data.posed(CtSliceDataset.Role.CALIBRATION,
                a.intValue("calibration-copies"), new Random(s.seed() + 2));
        ImageBundleWriter.Calibration calibration = new ImageBundleWriter.Calibration(calibrationImages.size(),
                a.doubleValue("target-fpr"), a.get("alert-score"));
        calibration.check(s.likelihood());
        Map<String, List<float[]>> ood = outOfDistribution(a, data);

        String command = BenchmarkReport.command("ct-slice-benchmark", args);
        Device device = Device.cpu();
        ObjectNode report = BenchmarkReport.start(mapper,
                "Head CT slices: one subject's normal slices, synthetic lesions, OOD inputs", command);
        report.set("data", describeData(volumeFile, volume, data, cases.size(), calibrationImages.size(), a));
        report.set("settings", mapper.valueToTree(s));
        report.put("window", window.toString());
        report.set("machine", MachineInfo.describe(mapper, device));

        long started = System.nanoTime();
        int trainSlices = data.slices(CtSliceDataset.Role.TRAIN).size();
        int copies = a.intValue("copies");
        out.printf("training on %d slices x %d posed copies per epoch, %dx%d input%n", trainSlices, copies, s.side(),
                s.side());
        Random augmentation = new Random(s.seed() + 3);
        ConvVaeTrainer.Result trained = new ConvVaeTrainer(out).train("ct-slice-vae",
                EpochRows.regenerated(trainSlices * copies,
                        epoch -> data.posed(CtSliceDataset.Role.TRAIN, copies, augmentation)), s, device);
        report.put("finalTrainLoss", trained.finalLoss());
        report.set("optimiserSteps", mapper.valueToTree(trained.skippedSteps()));
        report.put("trainSeconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        try (Model model = trained.model()) {
            ImageVaeScorer scorer = new ImageVaeScorer((ConvVaeBlock) model.getBlock(), model.getNDManager(),
                    s.iwaeSamples(), s.seed());
            double threshold = calibration.calibrate(calibration.scores(scorer, calibrationImages)).threshold();
            List<String> scores = reportedScores(s.likelihood());
            ObjectNode evaluation = new CtSliceEvaluation(scorer, calibration.alertScore(), scores, mapper)
                    .evaluate(cases, threshold, ood);
            report.put("alertScore", calibration.alertScore());
            report.set("results", evaluation);
            out.printf("image AUROC %s%npixel AUROC %s%n", evaluation.get("imageAuroc"), evaluation.get("pixelAuroc"));
            if (a.has("bundle-dir")) {
                ImageModelManifest.Training training = new ImageModelManifest.Training("InVesalius "
                        + volumeFile.getFileName() + " (Debian invesalius-examples), brain slices with z % 4 != 2 and "
                        + "z % 8 != 0, " + copies + " randomly posed copies per epoch", null,
                        "brain slices of one head CT", trainSlices, calibrationImages.size(), s.epochs(),
                        s.batchSize(), s.learningRate(), s.klWarmup(), s.seed(), trained.finalLoss(),
                        trained.skippedSteps());
                new ImageBundleWriter(mapper, out).write(model, Path.of(a.get("bundle-dir", "")), calibration,
                        calibrationImages, training, new ImageBundleWriter.Input("CT " + window + " HU, area-averaged "
                                + "to " + s.side() + "x" + s.side(), "CT", window),
                        s, BundleDigests.sha256(volumeFile), bundleMetrics(evaluation), command);
            }
        }
        report.put("totalSeconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return ReportFiles.write(mapper, Path.of(a.get("out")), "ct-slices", report,
                CtSliceReport.markdown(report), out);
    }

    /** Every image score: the raw bounds, and for the Bernoulli decoder their entropy-corrected forms. */
    private static List<String> reportedScores(ConvVaeBlock.Likelihood likelihood) {
        List<String> scores = new ArrayList<>(ImageAlertScores.RAW);
        if (likelihood == ConvVaeBlock.Likelihood.BERNOULLI) {
            scores.addAll(ImageAlertScores.EXCESS);
            scores.add(ImageAlertScores.LOCAL_PEAK);
        }
        scores.add(ImageAlertScores.LOCAL_RESIDUAL);
        return scores;
    }

    /** The summary of the evaluation that goes into the bundle's manifest. */
    private ObjectNode bundleMetrics(ObjectNode evaluation) {
        ObjectNode metrics = mapper.createObjectNode();
        metrics.set("imageAuroc", evaluation.get("imageAuroc"));
        metrics.set("pixelAuroc", evaluation.get("pixelAuroc"));
        metrics.put("cleanFalsePositiveRate", evaluation.get("cleanFalsePositiveRate").asDouble());
        metrics.put("lesionRecall", evaluation.get("lesionRecall").asDouble());
        return metrics;
    }

    private ObjectNode describeData(Path file, Volume volume, CtSliceDataset data, int cases, int calibration,
            CommandArgs a) {
        ObjectNode d = mapper.createObjectNode();
        d.put("volume", file.toString());
        d.put("sha256", BundleDigests.sha256(file));
        d.put("shape", volume.nx() + "x" + volume.ny() + "x" + volume.nz());
        d.put("trainSlices", data.slices(CtSliceDataset.Role.TRAIN).size());
        d.put("calibrationSlices", data.slices(CtSliceDataset.Role.CALIBRATION).size());
        d.put("testSlices", data.slices(CtSliceDataset.Role.TEST).size());
        d.put("calibrationImages", calibration);
        d.put("testCases", cases);
        d.put("split", "brain slices (>= " + a.intValue("min-brain-pixels") + " intracranial tissue "
                + "pixels) only; slice z: test if z % 4 == 2, calibration if z % 8 == 0, else training");
        d.put("nonBrainSlices", data.nonBrainSlices().toString());
        d.put("poses", "rotation up to +-" + a.doubleValue("max-degrees") + " degrees, shift up to +-"
                + a.doubleValue("max-shift") + " px, bilinear, air fill");
        d.put("lesions", LesionSampler.defaults().toString());
        return d;
    }

    /** The out-of-distribution sets that can be read here; each is skipped with a message when absent. */
    private Map<String, List<float[]>> outOfDistribution(CommandArgs a, CtSliceDataset data) {
        SliceRenderer model = data.renderer();
        int side = model.side();
        Map<String, List<float[]>> sets = new LinkedHashMap<>();
        sets.put("same CT, skull-base and vertex slices (outside the model's scope)",
                data.render(data.nonBrainSlices(), model));
        sets.put("same CT through the bone window 400/1800 HU", data.render(
                data.slices(CtSliceDataset.Role.TEST), new SliceRenderer(Window.CT_BONE, side)));
        Path mri = Path.of(a.get("ood-mri", DEFAULT_MRI.toString()));
        if (Files.isRegularFile(mri)) {
            Volume v = new NiftiVolumeReader().read(mri);
            List<float[]> slices = new ArrayList<>();
            // Every 4th axial slice through the brain, scaled by the volume's percentiles as a
            // PACS export to PNG would be.
            for (int z = v.nz() / 6; z < v.nz() * 5 / 6; z += 4) {
                slices.add(v.axialSlice(z).resize(side, side).pixels());
            }
            sets.put("T1 MRI " + mri.getFileName() + " (other modality)", slices);
        } else {
            out.println("skipping the MRI out-of-distribution set: " + mri + " not found (Debian mricron-data)");
        }
        List<Path> dicoms = a.has("ood-dicom") ? a.list("ood-dicom").stream().map(Path::of).toList()
                : DEFAULT_OOD_DICOM;
        DicomImageDecoder decoder = new DicomImageDecoder();
        Random poses = new Random(7);
        for (Path file : dicoms) {
            if (!Files.isRegularFile(file)) {
                out.println("skipping out-of-distribution DICOM " + file + ": not found");
                continue;
            }
            DicomImage d = decoder.decode(read(file));
            List<float[]> images = new ArrayList<>();
            // Eight poses of the slice's Hounsfield units, shown through the model's window as
            // the service would show them.
            for (int i = 0; i < 8; i++) {
                RigidTransform pose = i == 0 ? RigidTransform.IDENTITY : RigidTransform.random(poses, 8, 8);
                images.add(model.render(pose.apply(d.modalityValues(), d.width(), d.height(),
                        CtSliceDataset.AIR_HU), d.width(), d.height()));
            }
            sets.put("CT " + file.getFileName() + " (" + d.width() + "x" + d.height() + ", other subject)", images);
        }
        return sets;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
