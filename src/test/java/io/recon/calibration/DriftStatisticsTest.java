package io.recon.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * PSI and KS of a window against a calibration: near zero for a window drawn like the calibration
 * scores (below the threshold, as non-alerting windows are), large for a shifted one, and the KS
 * alert level a same-distribution window exceeds only rarely.
 */
class DriftStatisticsTest {

    private static final int CALIBRATION_ROWS = 2000;

    /** Normal(0, 1) calibration scores, threshold at their 99th percentile. */
    private final ThresholdCalibration calibrated = ThresholdCalibration.fromNormals(normals(new Random(1),
            CALIBRATION_ROWS, 0.0), 0.01);
    private final ScoreCalibration calibration = calibrated.toScoreCalibration();

    private double[] nonAlerting(Random random, int n, double shift) {
        return Arrays.stream(normals(random, 3 * n, shift)).filter(s -> !calibration.isAnomalous(s)).limit(n)
                .toArray();
    }

    private static double[] normals(Random random, int n, double shift) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextGaussian() + shift;
        }
        return out;
    }

    @Test
    void aWindowLikeTheCalibrationScoresDoesNotDrift() {
        Random random = new Random(2);
        double level = DriftStatistics.ksCriticalValue(2000, CALIBRATION_ROWS, 0.001);
        for (int trial = 0; trial < 20; trial++) {
            DriftStatistics.Figures f = DriftStatistics.of(calibration, nonAlerting(random, 2000, 0.0), 10);
            assertTrue(f.psi() < 0.03, "PSI " + f.psi());
            assertTrue(f.ks() < level, "KS " + f.ks() + " over its 0.1% level " + level);
        }
    }

    @Test
    void aShiftedWindowDrifts() {
        DriftStatistics.Figures f = DriftStatistics.of(calibration, nonAlerting(new Random(3), 2000, 0.5), 10);
        assertTrue(f.psi() > 0.2, "PSI " + f.psi());
        assertTrue(f.ks() > DriftStatistics.ksCriticalValue(2000, CALIBRATION_ROWS, 0.001), "KS " + f.ks());
    }

    @Test
    void theCalibrationScoresThemselvesSitOnTheirQuantiles() {
        double[] own = ThresholdCalibrationTestScores.belowThreshold(normals(new Random(1), CALIBRATION_ROWS, 0.0),
                calibration);
        DriftStatistics.Figures f = DriftStatistics.of(calibration, own, 10);
        assertTrue(f.psi() < 1e-3, "PSI " + f.psi());
        assertTrue(f.ks() < 0.005, "KS " + f.ks());
    }

    @Test
    void allScoresInOneBinIsTheLargestDistance() {
        double[] window = new double[500];
        Arrays.fill(window, calibration.quantiles()[0] - 1);
        DriftStatistics.Figures f = DriftStatistics.of(calibration, window, 10);
        assertEquals(1.0, f.ks(), 1e-9);
        assertTrue(f.psi() > 2, "PSI " + f.psi());
    }

    @Test
    void tiedCalibrationQuantilesMergeTheirBins() {
        double[] q = new double[101];
        for (int i = 0; i <= 100; i++) {
            q[i] = i < 50 ? 1.0 : i; // half of the calibration scores are exactly 1
        }
        ScoreCalibration tied = new ScoreCalibration(99, q);
        double[] window = new double[1000];
        for (int i = 0; i < window.length; i++) {
            window[i] = i < 490 ? 1.0 : 50 + 49.0 * (i - 490) / 510;
        }
        DriftStatistics.Figures f = DriftStatistics.of(tied, window, 10);
        assertTrue(Double.isFinite(f.psi()) && f.psi() < 0.05, "PSI " + f.psi());
        assertTrue(f.ks() < 0.05, "KS " + f.ks());
    }

    @Test
    void aClusterOnTiedQuantilesRoundedAFewUlpsAwayIsTheSameCluster() {
        // Half of the calibration scores sit exactly on 1.0; the window's cluster there was scored on
        // another CPU and came out a rounding error (1e-6 of its size) below or above.
        double[] q = new double[101];
        for (int i = 0; i <= 100; i++) {
            q[i] = i < 50 ? 1.0 : i;
        }
        ScoreCalibration tied = new ScoreCalibration(99, q);
        for (double rounded : new double[] {1.0 - 1e-6, 1.0, 1.0 + 1e-6}) {
            double[] window = new double[1000];
            for (int i = 0; i < window.length; i++) {
                window[i] = i < 490 ? rounded : 50 + 49.0 * (i - 490) / 510;
            }
            DriftStatistics.Figures f = DriftStatistics.of(tied, window, 10);
            assertTrue(f.ks() < 0.05, "KS " + f.ks() + " with the cluster at " + rounded);
            assertTrue(f.psi() < 0.05, "PSI " + f.psi() + " with the cluster at " + rounded);
        }
        // Moved by a real amount (1% of its size) it is a different score.
        double[] moved = new double[1000];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = i < 490 ? 0.99 : 50 + 49.0 * (i - 490) / 510;
        }
        assertTrue(DriftStatistics.of(tied, moved, 10).ks() > 0.4);
    }

    @Test
    void ksLevelShrinksWithTheWindowAndEmptyWindowsHaveNoFigures() {
        // c(0.001) = sqrt(-ln(0.0005) / 2) = 1.9495
        assertEquals(1.9495 * Math.sqrt((2000.0 + 1301) / (2000.0 * 1301)),
                DriftStatistics.ksCriticalValue(2000, 1301, 0.001), 1e-4);
        assertTrue(DriftStatistics.ksCriticalValue(500, 1301, 0.001)
                > DriftStatistics.ksCriticalValue(2000, 1301, 0.001));
        assertTrue(Double.isNaN(DriftStatistics.of(calibration, new double[0], 10).psi()));
        assertThrows(IllegalArgumentException.class, () -> DriftStatistics.ksCriticalValue(10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> DriftStatistics.of(calibration, new double[1], 1));
    }

    /** The calibration scores that do not alert. */
    private static final class ThresholdCalibrationTestScores {
        static double[] belowThreshold(double[] scores, ScoreCalibration calibration) {
            return Arrays.stream(scores).filter(s -> !calibration.isAnomalous(s)).toArray();
        }
    }
}
