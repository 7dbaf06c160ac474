package io.recon.nn.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ImageModelBundle;
import io.recon.data.IdxImages;
import io.recon.data.IdxReader;
import io.recon.data.Inv3VolumeReader;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.LesionSampler;
import io.recon.data.medical.SliceRenderer;
import io.recon.imaging.Window;
import io.recon.testing.TestFiles;

/**
 * An image's scores, anomaly map and reconstruction depend on the image alone: scored in the
 * scorer's batches of 64, in one batch, in batches of 7 in reverse order, or alone, it gets the same
 * bits, for both bundled image models. Before the network ran in calls of one shape, the batch's
 * size could change the last bits of a score, so a replayed image could get another score than the
 * first delivery.
 */
@Tag("plain-djl")
class ImageScoreBatchInvarianceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aFashionMnistTestImageGetsTheSameBitsInAnyBatch() throws Exception {
        Path file = TestFiles.FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz");
        assumeTrue(Files.exists(file), "Debian package dataset-fashion-mnist not installed");
        IdxImages test = IdxReader.readImages(file);
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            images.add(test.image(i).pixels());
        }
        assertBatchInvariant("imaging-vae-fashion-1", images, 40);
        assertEncodingsBatchInvariant("imaging-vae-fashion-1", images, 40);
    }

    @Test
    void aHeldOutCtSliceGetsTheSameBitsInAnyBatch() {
        Path volume = TestFiles.CRANIUM;
        assumeTrue(Files.isRegularFile(volume), "Debian package invesalius-examples not installed");
        CtSliceDataset data = new CtSliceDataset(new Inv3VolumeReader().read(volume),
                new SliceRenderer(Window.CT_BRAIN, 64), 8, 8, 4000);
        List<float[]> images = new ArrayList<>();
        for (CtSliceDataset.Case c : data.testCases(4, LesionSampler.defaults(), new Random(43))) {
            images.add(c.clean());
            if (c.lesioned() != null) {
                images.add(c.lesioned());
            }
        }
        assertBatchInvariant("imaging-vae-ct", images, 10);
    }

    private static void assertBatchInvariant(String model, List<float[]> images, int alone) {
        try (ImageModelBundle bundle = ImageModelBundle.load(Path.of("models", model), Device.cpu(), MAPPER)) {
            ImageVaeScorer scorer = bundle.scorer();
            List<ImageVaeScorer.ImageScore> reference = inBatches(scorer, images, 64);

            assertSame(reference, scorer.score(images), model + ", one batch of " + images.size());
            List<float[]> reversed = new ArrayList<>(images);
            Collections.reverse(reversed);
            List<ImageVaeScorer.ImageScore> backwards = new ArrayList<>(inBatches(scorer, reversed, 7));
            Collections.reverse(backwards);
            assertSame(reference, backwards, model + ", batches of 7, in reverse order");
            assertSame(reference.subList(0, alone), inBatches(scorer, images.subList(0, alone), 1),
                    model + ", one at a time");
        }
    }

    /**
     * The encodings the one-class benchmark's distances and the synthetic-image tests use (posterior
     * means, encoder feature maps): the same bits for an image alone, in one list, or in a list that
     * starts three images later (so that it falls elsewhere in the encoder's passes).
     */
    private static void assertEncodingsBatchInvariant(String model, List<float[]> images, int alone) {
        try (ImageModelBundle bundle = ImageModelBundle.load(Path.of("models", model), Device.cpu(), MAPPER)) {
            ImageVaeScorer scorer = bundle.scorer();
            List<float[]> means = scorer.posteriorMeans(images);
            List<float[]> features = scorer.encoderFeatures(images);
            assertRowsSame(means.subList(3, means.size()), scorer.posteriorMeans(images.subList(3, images.size())),
                    model + ", posterior means, from the fourth image on");
            assertRowsSame(features.subList(3, features.size()),
                    scorer.encoderFeatures(images.subList(3, images.size())),
                    model + ", encoder features, from the fourth image on");
            for (int i = 0; i < alone; i++) {
                List<float[]> one = images.subList(i, i + 1);
                assertRowsSame(means.subList(i, i + 1), scorer.posteriorMeans(one),
                        model + ", posterior mean of image " + i + " alone");
                assertRowsSame(features.subList(i, i + 1), scorer.encoderFeatures(one),
                        model + ", encoder features of image " + i + " alone");
            }
        }
    }

    private static void assertRowsSame(List<float[]> expected, List<float[]> actual, String how) {
        assertEquals(expected.size(), actual.size(), how);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), how + ", row " + i);
        }
    }

    private static List<ImageVaeScorer.ImageScore> inBatches(ImageVaeScorer scorer, List<float[]> images, int batch) {
        List<ImageVaeScorer.ImageScore> out = new ArrayList<>();
        for (int start = 0; start < images.size(); start += batch) {
            out.addAll(scorer.score(images.subList(start, Math.min(images.size(), start + batch))));
        }
        return out;
    }

    private static void assertSame(List<ImageVaeScorer.ImageScore> expected, List<ImageVaeScorer.ImageScore> actual,
            String how) {
        assertEquals(expected.size(), actual.size(), how);
        for (int i = 0; i < expected.size(); i++) {
            String where = how + ", image " + i;
            assertEquals(expected.get(i).scores(), actual.get(i).scores(), where);
            assertArrayEquals(expected.get(i).anomalyMap(), actual.get(i).anomalyMap(), where);
            assertArrayEquals(expected.get(i).reconstruction(), actual.get(i).reconstruction(), where);
        }
    }
}
