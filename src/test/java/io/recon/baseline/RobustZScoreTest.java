package io.recon.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RobustZScoreTest {

    private static double[][] column(double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return rows;
    }

    @Test
    void medianAndMadByHand() {
        RobustZScore z = new RobustZScore();
        // median 3; |dev| = {2,1,0,1,97} -> MAD 1; the 100 does not move either statistic.
        z.fit(column(1, 2, 3, 4, 100));
        assertArrayEquals(new double[] {3}, z.medians());
        assertArrayEquals(new double[] {1.4826}, z.scales(), 1e-12);
        assertEquals(0.0, z.score(new double[] {3}), 1e-12);
        assertEquals(1.0, z.score(new double[] {3 + 1.4826}), 1e-12);
        assertEquals(4.0, z.score(new double[] {3 - 2 * 1.4826}), 1e-12);
    }

    @Test
    void evenCountMedianAndMeanOverFeatures() {
        RobustZScore z = new RobustZScore();
        z.fit(new double[][] {{1, 10}, {2, 20}, {3, 30}, {4, 40}});
        // medians 2.5 and 25; MADs 1 and 10.
        assertArrayEquals(new double[] {2.5, 25}, z.medians(), 1e-12);
        assertArrayEquals(new double[] {1.4826, 14.826}, z.scales(), 1e-12);
        // z = (1, 2) -> mean of squares (1 + 4) / 2
        assertEquals(2.5, z.score(new double[] {2.5 + 1.4826, 25 + 2 * 14.826}), 1e-9);
    }

    @Test
    void zeroMadFallsBackToMeanAbsoluteDeviation() {
        RobustZScore z = new RobustZScore();
        // median 0, MAD 0; mean |x - median| = 10 / 5 = 2
        z.fit(column(0, 0, 0, 0, 10));
        assertArrayEquals(new double[] {1.253314 * 2}, z.scales(), 1e-12);
        assertEquals(1.0, z.score(new double[] {1.253314 * 2}), 1e-12);
    }

    @Test
    void constantFeatureGetsTinyScaleButFiniteScores() {
        RobustZScore z = new RobustZScore();
        z.fit(new double[][] {{5, 1}, {5, 2}, {5, 3}});
        assertEquals(1e-6, z.scales()[0], 0.0);
        assertEquals(0.0, z.score(new double[] {5, 2}), 1e-12);
        double off = z.score(new double[] {5 + 1e-7, 2});
        assertEquals(0.01 / 2, off, 1e-9);
        // |z| is clipped at 1e6, so even an absurd value stays finite: (1e12 + 0) / 2
        double huge = z.score(new double[] {1e300, 2});
        assertTrue(Double.isFinite(huge));
        assertEquals(1e12 / 2, huge, 1.0);
        assertEquals(1e12 / 2, z.score(new double[] {-1e300, 2}), 1.0);
    }

    @Test
    void separatesInjectedOutliers() {
        double auroc = IsolationForestTest.aurocOnShiftedRows(new RobustZScore(), 2000, 2);
        assertTrue(auroc > 0.95, "AUROC " + auroc);
    }

    @Test
    void refitReplacesState() {
        RobustZScore z = new RobustZScore();
        z.fit(column(0, 1, 2));
        z.fit(column(10, 11, 12));
        assertArrayEquals(new double[] {11}, z.medians());
    }

    @Test
    void rejectsBadUse() {
        RobustZScore z = new RobustZScore();
        assertEquals("robust-z", z.name());
        assertThrows(IllegalStateException.class, () -> z.score(new double[] {1}));
        assertThrows(IllegalStateException.class, z::medians);
        assertThrows(IllegalArgumentException.class, () -> z.fit(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> z.fit(new double[][] {{}}));
        assertThrows(IllegalArgumentException.class, () -> z.fit(new double[][] {{1, 2}, {1}}));
        assertThrows(IllegalArgumentException.class, () -> z.fit(new double[][] {{Double.POSITIVE_INFINITY}}));
        z.fit(column(1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> z.score(new double[] {1, 2}));
    }
}
