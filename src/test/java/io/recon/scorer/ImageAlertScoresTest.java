package io.recon.scorer;

import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageVaeScorer;
import io.recon.event.EventScores;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** The entropy-corrected alert scores and the heatmap rendering (no model needed). */
class ImageAlertScoresTest {

    @Test
    void excessScoresSubtractTheImagesOwnEntropy() {
        float[] pixels = {0f, 1f, 0.5f, 0.5f};
        double h = 2 * Math.log(2); // two pixels at 0.5, one nat-bit each
        assertEquals(h, ImageAlertScores.bernoulliEntropy(pixels), 1e-9);
        EventScores s = new EventScores(1.0, 10.0, 9.0);
        assertEquals(10.0, ImageAlertScores.byName("negative_elbo", s, pixels), 1e-12);
        assertEquals(10.0 - h, ImageAlertScores.byName("negative_elbo_excess", s, pixels), 1e-9);
        assertEquals(9.0 - h, ImageAlertScores.byName("iwae_excess", s, pixels), 1e-9);
        // The reconstruction error is per pixel, so its excess takes the per-pixel entropy off.
        assertEquals(1.0 - h / 4, ImageAlertScores.byName("reconstruction_excess", s, pixels), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> ImageAlertScores.byName("nope", s, pixels));
    }

    @Test
    void localPeakIsTheBestFiveByFiveMeanOfTheExcessMap() {
        int side = 8;
        float[] map = new float[side * side];
        float[] pixels = new float[side * side]; // black: no entropy to take off
        // A 5x5 blob of 2 nats per pixel at the bottom right, one 40-nat pixel at the top left.
        for (int y = 3; y < 8; y++) {
            for (int x = 3; x < 8; x++) {
                map[y * side + x] = 2f;
            }
        }
        map[0] = 40f;
        // The blob's window averages 2; the single pixel's best window averages 40/25 = 1.6.
        assertEquals(2.0, ImageAlertScores.localPeak(map, pixels), 1e-6);
        // Grey pixels first lose their own entropy.
        java.util.Arrays.fill(pixels, 0.5f);
        assertEquals(2.0 - Math.log(2), ImageAlertScores.localPeak(map, pixels), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ImageAlertScores.localPeak(new float[10], new float[10]));
        assertEquals(true, ImageAlertScores.isExcess(ImageAlertScores.LOCAL_PEAK));
    }

    @Test
    void localResidualCancelsEdgeBlurButKeepsABlob() {
        int side = 12;
        float[] image = new float[side * side];
        float[] blurred = new float[side * side];
        // A vertical edge at x = 6 that the "reconstruction" blurs: +0.5 left of it, -0.5 right.
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image[y * side + x] = x < 6 ? 0f : 1f;
                blurred[y * side + x] = x == 5 ? 0.5f : x == 6 ? 0.5f : image[y * side + x];
            }
        }
        float[] edgeOnly = ImageAlertScores.smoothedResidual(image, blurred);
        // Windows straddling the edge hold both signs and cancel; a window reaching only one side
        // of it sees one column of 0.5: 5 * 0.5 / 25 = 0.1 at most.
        assertEquals(0.0, edgeOnly[6 * side + 6], 1e-6);
        float edgePeak = 0;
        for (float v : edgeOnly) {
            edgePeak = Math.max(edgePeak, v);
        }
        assertTrue(edgePeak <= 0.1f + 1e-6, "edge peak " + edgePeak);
        // A 3x3 blob brighter by 0.5 than the reconstruction: centred window mean 0.5 * 9 / 25 = 0.18.
        for (int y = 2; y < 5; y++) {
            for (int x = 1; x < 4; x++) {
                image[y * side + x] = 0.5f;
            }
        }
        ImageVaeScorer.ImageScore scored = new ImageVaeScorer.ImageScore(new EventScores(0, 0, 0),
                new float[side * side], blurred);
        assertEquals(0.18, ImageAlertScores.byName(ImageAlertScores.LOCAL_RESIDUAL, scored, image), 1e-6);
    }

    @Test
    void heatmapIsAGrayscalePngScaledToItsMaximum() throws Exception {
        float[] map = new float[28 * 28];
        float[] pixels = new float[28 * 28];
        map[0] = 4f;
        map[1] = 2f;
        map[2] = Float.NaN;
        ImageVaeScorer.ImageScore scored = new ImageVaeScorer.ImageScore(new EventScores(0, 0, 0), map, pixels);
        byte[] png = ImageScorer.heatmapPng(ImageAlertScores.heatmap("negative_elbo_excess", scored, pixels), 28, 28);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img);
        assertEquals(28, img.getWidth());
        assertEquals(255, img.getRaster().getSample(0, 0, 0));
        assertEquals(128, img.getRaster().getSample(1, 0, 0));
        assertEquals(0, img.getRaster().getSample(2, 0, 0));
    }
}
