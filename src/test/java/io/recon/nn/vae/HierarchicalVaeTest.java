package io.recon.nn.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.Device;
import io.recon.data.IdxImages;
import io.recon.data.IdxReader;
import io.recon.evaluation.BinaryMetrics;
import io.recon.nn.EpochRows;
import io.recon.testing.TestFiles;

/**
 * The two-level VAE of the one-class benchmark, trained briefly on Fashion-MNIST trousers: training
 * converges without a skipped step on any kernel path, its scores tell trousers from bags, and each
 * image's scores come from its own rows of the scorer's K-sample passes (scored alone or among others).
 */
@Tag("plain-djl")
@Tag("training")
@Tag("convolution")
class HierarchicalVaeTest {

    private static final int TROUSER = 1;
    private static final int BAG = 8;
    private static final ConvVaeSettings SETTINGS = new ConvVaeSettings(4, 16, 32, 0.001, 2, 42,
            ConvVaeBlock.Likelihood.BERNOULLI, 8, ConvVaeBlock.SIDE, ConvVaeBlock.DEFAULT_DOWNSAMPLINGS);

    private static ConvVaeTrainer.Result trained;
    private static HierarchicalVaeScorer scorer;
    private static String log;
    private static List<float[]> testTrousers;
    private static List<float[]> testBags;

    @BeforeAll
    static void train() throws Exception {
        Path dir = TestFiles.FASHION_MNIST;
        assumeTrue(Files.exists(dir.resolve("train-images-idx3-ubyte.gz")),
                "Debian package dataset-fashion-mnist not installed");
        List<float[]> trousers = ofClass(dir, "train", TROUSER, 640);
        testTrousers = ofClass(dir, "t10k", TROUSER, 200);
        testBags = ofClass(dir, "t10k", BAG, 200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        trained = new ConvVaeTrainer(new PrintStream(out, true, StandardCharsets.UTF_8))
                .trainHierarchical("test-hierarchical-vae", EpochRows.fixed(trousers), SETTINGS, 8, Device.cpu());
        log = out.toString(StandardCharsets.UTF_8);
        scorer = new HierarchicalVaeScorer((HierarchicalConvVaeBlock) trained.model().getBlock(),
                trained.model().getNDManager(), SETTINGS.iwaeSamples(), SETTINGS.seed());
    }

    @AfterAll
    static void release() {
        if (trained != null) {
            trained.model().close();
        }
    }

    private static List<float[]> ofClass(Path dir, String split, int label, int count) throws Exception {
        IdxImages images = IdxReader.readImages(dir.resolve(split + "-images-idx3-ubyte.gz"));
        int[] labels = IdxReader.readLabels(dir.resolve(split + "-labels-idx1-ubyte.gz"));
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < labels.length && out.size() < count; i++) {
            if (labels[i] == label) {
                out.add(images.image(i).pixels());
            }
        }
        return out;
    }

    @Test
    void trainingConvergesWithEveryStepTaken() {
        assertEquals(0, trained.skippedSteps().skipped(), log);
        assertTrue(Double.isFinite(trained.finalLoss()) && trained.finalLoss() > 0, log);
        // A 28x28 trouser costs about 540 nats under an untrained decoder (every pixel at p = 0.5).
        assertTrue(trained.finalLoss() < 350, "final loss " + trained.finalLoss() + "\n" + log);
    }

    @Test
    void itsScoresTellTrousersFromBags() {
        List<float[]> both = new ArrayList<>(testTrousers);
        both.addAll(testBags);
        boolean[] bag = new boolean[both.size()];
        for (int i = testTrousers.size(); i < bag.length; i++) {
            bag[i] = true;
        }
        List<HierarchicalVaeScorer.Scores> scored = scorer.score(both);
        double[] excess = new double[both.size()];
        for (int i = 0; i < both.size(); i++) {
            HierarchicalVaeScorer.Scores s = scored.get(i);
            assertTrue(Double.isFinite(s.negativeElbo()) && Double.isFinite(s.likelihoodRatio()), "image " + i);
            excess[i] = s.negativeElbo() - ImageAlertScores.bernoulliEntropy(both.get(i));
        }
        double elboAuroc = BinaryMetrics.auroc(excess, bag);
        assertTrue(elboAuroc > 0.9, "two-level -ELBO excess, trousers against bags: AUROC " + elboAuroc);
        // The upper level is used: were z2 ignored, q(z2|x) would sit on the prior N(0, I) for every image
        // and the upper posterior means would not vary across images at all (0.58 here in 4 epochs).
        double spread = 0;
        int upper = scored.get(0).upperMean().length;
        for (int j = 0; j < upper; j++) {
            double sum = 0;
            double squares = 0;
            for (HierarchicalVaeScorer.Scores s : scored.subList(0, testTrousers.size())) {
                sum += s.upperMean()[j];
                squares += s.upperMean()[j] * s.upperMean()[j];
            }
            int n = testTrousers.size();
            spread += squares / n - (sum / n) * (sum / n);
        }
        assertTrue(spread > 0.1, "summed variance of E[z2|x] over trousers " + spread);
    }

    @Test
    void anImageGetsItsOwnScoresAloneOrAmongOthers() {
        List<float[]> mixed = new ArrayList<>(testTrousers.subList(0, 30));
        mixed.addAll(testBags.subList(0, 30));
        List<HierarchicalVaeScorer.Scores> together = scorer.score(mixed);
        for (int i = 0; i < mixed.size(); i += 7) {
            HierarchicalVaeScorer.Scores alone = scorer.score(mixed.subList(i, i + 1)).get(0);
            HierarchicalVaeScorer.Scores inBatch = together.get(i);
            // Float rounding differs with the batch's size; a row mixed up with another image's would not.
            assertEquals(inBatch.negativeElbo(), alone.negativeElbo(), 1e-3 * Math.abs(alone.negativeElbo()),
                    "image " + i);
            assertEquals(inBatch.negativeUpperElbo(), alone.negativeUpperElbo(),
                    1e-3 * Math.abs(alone.negativeUpperElbo()), "image " + i);
            assertEquals(inBatch.upperMean()[0], alone.upperMean()[0], 1e-4, "image " + i);
        }
    }
}
