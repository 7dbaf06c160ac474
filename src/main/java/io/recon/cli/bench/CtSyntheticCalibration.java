package io.recon.cli.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.bundle.ImageBundleWriter;
import io.recon.bundle.ImageGeneratorKind;
import io.recon.bundle.ImageModelBundle;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.LesionSampler;
import io.recon.evaluation.BinaryMetrics;
import io.recon.imaging.ImageGrid;
import io.recon.nn.ImageGenerator;

/**
 * The head-CT part of {@code synthetic-image-eval} (use c): the bundled CT model's threshold rests
 * on posed copies of a handful of real calibration slices. Each generator learns the normal
 * training slices (the ones the model trained on, never calibration or test slices); its slices
 * join the real calibration slices, the threshold is set again at the bundle's target
 * false-positive rate, and the false-positive rate on real held-out clean slices (and the recall of
 * synthetic lesions on them) is compared with the bundle's own threshold's.
 *
 * <p>The calibration and test images are rebuilt exactly as {@code ct-slice-benchmark} built them
 * for the bundle (the same poses from the same seeds); the report says whether the bundle's
 * threshold is reproduced from them, the check that they are.
 *
 * @param bundle        the CT model
 * @param data          its slices, rendered through its window at its side
 * @param trainCopies   posed copies of each training slice the generators learn from
 * @param syntheticSlices synthetic slices added to the calibration set
 */
record CtSyntheticCalibration(ImageModelBundle bundle, CtSliceDataset data, int trainCopies, int syntheticSlices) {

    /** As {@code ct-slice-benchmark}'s defaults: posed copies of each calibration and test slice. */
    static final int CALIBRATION_COPIES = 12;
    static final int TEST_VARIANTS = 8;

    ObjectNode evaluate(Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> generators, Map<String, byte[]> grids,
            String gridPrefix, ObjectMapper mapper, PrintStream out) {
        long seed = bundle.manifest().training().seed();
        int side = bundle.manifest().width();
        String score = bundle.manifest().calibration().score();
        double target = bundle.manifest().calibration().targetFpr();
        List<CtSliceDataset.Case> cases = data.testCases(TEST_VARIANTS, LesionSampler.defaults(),
                new Random(seed + 1));
        List<float[]> realCalibration = data.posed(CtSliceDataset.Role.CALIBRATION, CALIBRATION_COPIES,
                new Random(seed + 2));
        ImageBundleWriter.Calibration calibration = new ImageBundleWriter.Calibration(realCalibration.size(), target,
                score);
        List<float[]> clean = cases.stream().map(CtSliceDataset.Case::clean).toList();
        List<float[]> lesioned = cases.stream().filter(c -> c.lesioned() != null).map(CtSliceDataset.Case::lesioned)
                .toList();
        double[] cleanScores = calibration.scores(bundle.scorer(), clean);
        double[] lesionScores = calibration.scores(bundle.scorer(), lesioned);
        double[] realScores = calibration.scores(bundle.scorer(), realCalibration);

        ObjectNode result = mapper.createObjectNode();
        result.put("bundle", bundle.directory().toString());
        result.put("bundleVersion", bundle.manifest().version());
        result.put("score", score);
        result.put("targetFpr", target);
        ObjectNode images = result.putObject("images");
        images.put("trainSlices", data.slices(CtSliceDataset.Role.TRAIN).size());
        images.put("generatorTrainingImages", data.slices(CtSliceDataset.Role.TRAIN).size() * trainCopies);
        images.put("calibrationSlices", data.slices(CtSliceDataset.Role.CALIBRATION).size());
        images.put("realCalibrationImages", realCalibration.size());
        images.put("syntheticCalibrationImages", syntheticSlices);
        images.put("testSlices", data.slices(CtSliceDataset.Role.TEST).size());
        images.put("cleanTestImages", clean.size());
        images.put("lesionedTestImages", lesioned.size());
        double bundleThreshold = bundle.manifest().calibration().threshold();
        double realThreshold = calibration.calibrate(realScores).threshold();
        result.put("bundleThreshold", bundleThreshold);
        result.put("thresholdReproduced", Math.abs(realThreshold - bundleThreshold) <= 1e-4 * Math.abs(bundleThreshold));
        ArrayNode rows = result.putArray("thresholds");
        rows.add(row(mapper, "real calibration slices only (the bundle's)", realThreshold, cleanScores,
                lesionScores));

        List<float[]> training = data.posed(CtSliceDataset.Role.TRAIN, trainCopies, new Random(seed + 3));
        for (Map.Entry<ImageGeneratorKind, ImageGeneratorKind.Overrides> g : generators.entrySet()) {
            String name = g.getKey().name();
            out.printf("CT %s: training on %d posed slices, %dx%d%n", name, training.size(), side, side);
            long started = System.nanoTime();
            ImageGeneratorKind.Trained trained = g.getKey().train(training, side, g.getValue(),
                    line -> out.println("  " + line));
            double trainSeconds = (System.nanoTime() - started) / 1e9;
            List<float[]> synthetic;
            try (ImageGenerator generator = trained.model()) {
                synthetic = generator.sample(syntheticSlices, seed + 100);
            }
            String grid = gridPrefix + "-" + name + ".png";
            grids.put(grid, ImageGrid.png(synthetic.subList(0, Math.min(32, synthetic.size())), side, 8));
            double[] syntheticScores = calibration.scores(bundle.scorer(), synthetic);
            double[] union = concat(realScores, syntheticScores);
            ObjectNode withSynthetic = row(mapper, "real calibration + " + name + " synthetic slices",
                    calibration.calibrate(union).threshold(), cleanScores, lesionScores);
            withSynthetic.put("generator", name);
            withSynthetic.put("grid", grid);
            withSynthetic.put("trainSeconds", Math.round(trainSeconds * 10) / 10.0);
            withSynthetic.set("settings", mapper.valueToTree(trained.settings()));
            withSynthetic.put("syntheticMedianScore", new Median().evaluate(syntheticScores));
            withSynthetic.put("realCalibrationMedianScore", new Median().evaluate(realScores));
            withSynthetic.put("cleanTestMedianScore", new Median().evaluate(cleanScores));
            rows.add(withSynthetic);
            ObjectNode syntheticOnly = row(mapper, name + " synthetic slices only",
                    calibration.calibrate(syntheticScores).threshold(), cleanScores, lesionScores);
            syntheticOnly.put("generator", name);
            rows.add(syntheticOnly);
            out.printf("CT %s: %s%n", name, withSynthetic);
        }
        result.put("realGrid", gridPrefix + "-real.png");
        grids.put(gridPrefix + "-real.png", ImageGrid.png(training.subList(0, Math.min(32, training.size())), side,
                8));
        return result;
    }

    private static ObjectNode row(ObjectMapper mapper, String set, double threshold, double[] clean,
            double[] lesioned) {
        ObjectNode row = mapper.createObjectNode();
        row.put("calibrationSet", set);
        row.put("threshold", threshold);
        row.put("cleanFalsePositiveRate", BinaryMetrics.falsePositiveRate(clean, threshold));
        row.put("lesionRecall", BinaryMetrics.fractionAbove(lesioned, threshold));
        return row;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
