package io.recon.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreCalibrationTest {

    private final double[] scores = new double[1001];

    {
        for (int i = 0; i <= 1000; i++) {
            scores[i] = i / 10.0; // 0.0 .. 100.0
        }
    }

    private final ScoreCalibration calibration = new ScoreCalibration(99.0,
            ScoreCalibration.quantilesOf(scores, 101));

    @Test
    void percentileInterpolatesAmongNormals() {
        assertEquals(0.0, calibration.percentile(-5), 1e-9);
        assertEquals(50.0, calibration.percentile(50.0), 1e-9);
        assertEquals(12.5, calibration.percentile(12.5), 1e-9);
        assertEquals(100.0, calibration.percentile(1e9), 1e-9);
        assertEquals(100.0, calibration.percentile(Double.NaN), 1e-9);
    }

    @Test
    void alertsOnlyAboveTheThreshold() {
        assertFalse(calibration.isAnomalous(99.0));
        assertTrue(calibration.isAnomalous(99.01));
        assertEquals(Severity.NONE, calibration.severity(98));
    }

    @Test
    void severityGrowsWithDistanceBeyondTheThreshold() {
        // spread = threshold - median = 49
        assertEquals(Severity.LOW, calibration.severity(99 + 0.1 * 49));
        assertEquals(Severity.MEDIUM, calibration.severity(99 + 1 * 49));
        assertEquals(Severity.HIGH, calibration.severity(99 + 5 * 49));
        assertEquals(Severity.CRITICAL, calibration.severity(99 + 10 * 49));
    }

    @Test
    void tiedQuantilesReportTheHighestPercentile() {
        ScoreCalibration ties = new ScoreCalibration(1, new double[] {0, 1, 1, 1, 2});
        assertEquals(75.0, ties.percentile(1), 1e-9);
    }

    @Test
    void rejectsUnsortedQuantiles() {
        assertThrows(IllegalArgumentException.class, () -> new ScoreCalibration(1, new double[] {2, 1}));
    }
}
