package io.recon.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PerturbedBackgroundTest {

    @Test
    void replacesAboutTheShareOfPixelsWithValuesInRangeAndLeavesTheOriginalAlone() {
        float[] image = new float[28 * 28 * 10];
        java.util.Arrays.fill(image, 2f); // outside [0, 1), so a replaced pixel is easy to tell
        float[] copy = image.clone();
        float[] perturbed = PerturbedBackground.perturbed(image, 0.2, new Random(5));
        int replaced = 0;
        for (float v : perturbed) {
            if (v != 2f) {
                replaced++;
                assertTrue(v >= 0 && v < 1, "a replaced pixel is uniform in [0, 1): " + v);
            }
        }
        assertEquals(0.2, replaced / (double) image.length, 0.02);
        assertArrayEquals(copy, image, "the input image is not changed");
        assertArrayEquals(perturbed, PerturbedBackground.perturbed(image, 0.2, new Random(5)), "seeded");
    }
}
