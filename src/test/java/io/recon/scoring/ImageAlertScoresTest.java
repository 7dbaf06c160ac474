package io.recon.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void heatmapIsAGrayscalePngScaledToItsMaximum() throws Exception {
        float[] map = new float[28 * 28];
        float[] pixels = new float[28 * 28];
        map[0] = 4f;
        map[1] = 2f;
        map[2] = Float.NaN;
        byte[] png = ImageScorer.heatmapPng(map, pixels, true, 28, 28);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img);
        assertEquals(28, img.getWidth());
        assertEquals(255, img.getRaster().getSample(0, 0, 0));
        assertEquals(128, img.getRaster().getSample(1, 0, 0));
        assertEquals(0, img.getRaster().getSample(2, 0, 0));
    }
}
