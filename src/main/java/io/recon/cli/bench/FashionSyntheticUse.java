package io.recon.cli.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.bundle.ImageGeneratorKind;
import io.recon.data.FeatureRows;
import io.recon.evaluation.BinaryMetrics;
import io.recon.evaluation.synthetic.ClosestRecordDistance;
import io.recon.evaluation.synthetic.RowSpace;
import io.recon.evaluation.synthetic.TwoSampleTest;
import io.recon.imaging.ImageGrid;
import io.recon.nn.EpochRows;
import io.recon.nn.ImageGenerator;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.nn.vae.ConvVaeSettings;
import io.recon.nn.vae.ConvVaeTrainer;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * The Fashion-MNIST part of {@code synthetic-image-eval}: one class's training images split into a
 * pool (what the one-class model normally trains on), a few (the first share of the pool: the
 * scarce-data case) and a held-out tail never trained on. Each generator learns from the few only.
 * Measured on the standard one-class test set (the class normal, the nine others anomalous):
 * the VAE trained on the few, on the whole pool, on synthetic images only (train on synthetic, test
 * on real), and on the few plus synthetic images (use b). Fidelity: a sample grid, a two-sample
 * test and the closest-record distance, in the space of the pool model's posterior means (a small
 * encoder that has learnt what this class looks like), against the held-out real images.
 *
 * @param few       the generators' and the scarce model's training images
 * @param pool      the class's full training share
 * @param heldOut   real images of the class that nothing trains on
 * @param test      the test images
 * @param anomalous whether each test image is of another class
 */
record FashionSyntheticUse(List<float[]> few, List<float[]> pool, List<float[]> heldOut, List<float[]> test,
        boolean[] anomalous) {

    /** The VAE and evaluation settings of this part. */
    record Settings(ConvVaeSettings vae, int imagesSeen, String alertScore, int syntheticImages, long seed) {

        /** The VAE settings for {@code n} training images: about {@link #imagesSeen} images per run. */
        ConvVaeSettings vaeFor(int n) {
            int epochs = Math.max(1, (int) Math.ceil(imagesSeen / (double) n));
            return new ConvVaeSettings(epochs, vae.latent(), vae.batchSize(), vae.learningRate(),
                    Math.max(1, epochs / 6), vae.seed(), vae.likelihood(), vae.iwaeSamples(), vae.side(),
                    vae.downsamplings());
        }
    }

    /**
     * Runs every measure, training the generators on the few.
     *
     * @param generators each kind with its overrides (epochs and so on)
     * @param grids      where the sample grids are written ({@code name -> png}), relative to the report
     */
    ObjectNode evaluate(Settings s, Map<ImageGeneratorKind, ImageGeneratorKind.Overrides> generators,
            Map<String, byte[]> grids, String gridPrefix, ObjectMapper mapper, PrintStream out) {
        ObjectNode result = mapper.createObjectNode();
        ObjectNode data = result.putObject("images");
        data.put("few", few.size());
        data.put("pool", pool.size());
        data.put("heldOut", heldOut.size());
        data.put("testNormal", anomalous.length - BinaryMetrics.countTrue(anomalous));
        data.put("testAnomalous", BinaryMetrics.countTrue(anomalous));
        data.put("synthetic", s.syntheticImages());
        grids.put(gridPrefix + "-real.png", ImageGrid.png(few.subList(0, Math.min(64, few.size())), 28, 8));
        result.put("realGrid", gridPrefix + "-real.png");

        ObjectNode models = result.putObject("auroc");
        models.put("score", s.alertScore());
        models.put("fewReal", auroc("few real (" + few.size() + ")", few, s, out));
        double poolAuroc;
        ObjectNode byGenerator = result.putObject("generators");
        try (TrainedVae poolModel = TrainedVae.train("pool real (" + pool.size() + ")", pool, s, out)) {
            poolAuroc = poolModel.auroc(test, anomalous, s.alertScore());
            models.put("poolReal", poolAuroc);
            out.printf("  AUROC %.4f%n", poolAuroc);
            FeatureRows fewFeatures = SyntheticImageData.rows(poolModel.scorer().posteriorMeans(few));
            FeatureRows heldOutFeatures = SyntheticImageData.rows(poolModel.scorer().posteriorMeans(heldOut));
            RowSpace space = new RowSpace(fewFeatures);
            result.put("realVsRealTwoSampleAuroc", SyntheticImageData.round3(TwoSampleTest.auroc(space,
                    heldOutFeatures, fewFeatures, heldOut.size(), s.seed())));
            for (Map.Entry<ImageGeneratorKind, ImageGeneratorKind.Overrides> g : generators.entrySet()) {
                ObjectNode row = byGenerator.putObject(g.getKey().name());
                long started = System.nanoTime();
                out.printf("%s: training on %d images%n", g.getKey().name(), few.size());
                ImageGeneratorKind.Trained trained = g.getKey().train(few, 28, g.getValue(), line -> out.println(
                        "  " + line));
                try (ImageGenerator generator = trained.model()) {
                    row.put("trainSeconds", seconds(started));
                    row.set("settings", mapper.valueToTree(trained.settings()));
                    started = System.nanoTime();
                    List<float[]> synthetic = generator.sample(s.syntheticImages(), s.seed() + 100);
                    row.put("sampleSeconds", seconds(started));
                    String grid = gridPrefix + "-" + g.getKey().name() + ".png";
                    grids.put(grid, ImageGrid.png(synthetic.subList(0, Math.min(64, synthetic.size())), 28, 8));
                    row.put("grid", grid);
                    FeatureRows syntheticFeatures = SyntheticImageData.rows(poolModel.scorer().posteriorMeans(
                            synthetic));
                    row.put("twoSampleAuroc", SyntheticImageData.round3(TwoSampleTest.auroc(space, heldOutFeatures,
                            syntheticFeatures, heldOut.size(), s.seed())));
                    row.set("closestRecord", mapper.valueToTree(ClosestRecordDistance.of(space, fewFeatures,
                            heldOutFeatures, syntheticFeatures)));
                    row.put("trainOnSynthetic", auroc(g.getKey().name() + " synthetic only (" + synthetic.size()
                            + ")", synthetic, s, out));
                    row.put("fewRealPlusSynthetic", auroc("few real + " + g.getKey().name() + " synthetic ("
                            + (few.size() + synthetic.size()) + ")", SyntheticImageData.concat(few, synthetic), s,
                            out));
                    out.printf("%s: %s%n", g.getKey().name(), row);
                }
            }
        }
        return result;
    }

    private double auroc(String what, List<float[]> images, Settings s, PrintStream out) {
        try (TrainedVae vae = TrainedVae.train(what, images, s, out)) {
            double auroc = vae.auroc(test, anomalous, s.alertScore());
            out.printf("  AUROC %.4f%n", auroc);
            return auroc;
        }
    }

    private static double seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e8) / 10.0;
    }

    /** A one-class conv VAE trained for this evaluation. */
    private record TrainedVae(Model model, ImageVaeScorer scorer) implements AutoCloseable {

        static TrainedVae train(String what, List<float[]> images, Settings s, PrintStream out) {
            ConvVaeSettings vae = s.vaeFor(images.size());
            out.printf("VAE on %s: %d epochs%n", what, vae.epochs());
            ConvVaeTrainer.Result trained = new ConvVaeTrainer(out).train("synthetic-eval-vae",
                    EpochRows.fixed(images), vae, Device.cpu());
            Model model = trained.model();
            return new TrainedVae(model, new ImageVaeScorer((ConvVaeBlock) model.getBlock(), model.getNDManager(),
                    vae.iwaeSamples(), vae.seed()));
        }

        double auroc(List<float[]> test, boolean[] anomalous, String score) {
            return BinaryMetrics.auroc(ImageScoring.named(score, ImageScoring.scoreAll(scorer, test), test),
                    anomalous);
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
