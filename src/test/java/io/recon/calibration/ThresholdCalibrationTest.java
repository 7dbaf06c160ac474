package io.recon.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ThresholdCalibrationTest {

    @Test
    void theThresholdLetsAtMostTheTargetShareOfNormalScoresThrough() {
        double[] normals = new double[1000];
        Random random = new Random(1);
        for (int i = 0; i < normals.length; i++) {
            normals[i] = random.nextGaussian();
        }
        ThresholdCalibration c = ThresholdCalibration.fromNormals(normals, 0.01);
        long above = java.util.Arrays.stream(normals).filter(s -> s > c.threshold()).count();
        assertEquals(10, above, "1% of 1,000");
        assertEquals(0.01, c.achievedFpr(), 1e-12);
        assertEquals(1000, c.rows());
        assertEquals(ThresholdCalibration.QUANTILES, c.quantiles().length);
        ScoreCalibration runtime = c.toScoreCalibration();
        assertTrue(runtime.isAnomalous(c.threshold() + 1e-9));
        assertEquals(99.0, runtime.percentile(c.threshold()), 0.2);
        assertEquals("iwae above the 99.0th percentile of 1,000 held-out normal rows (target false-positive rate 1.0%)",
                c.method("iwae", "held-out normal rows"));
    }

    @Test
    void aTargetOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ThresholdCalibration.fromNormals(new double[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> ThresholdCalibration.fromNormals(new double[] {1, 2}, 1));
    }
}
