package io.recon.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Scales of near-constant columns: the fallbacks after a zero interquartile range, and the floors. */
class FeatureScaleTest {

    @Test
    void theInterquartileRangeIsUsedWhenItIsNotZero() {
        double[] v = sorted(i -> i, 1001); // 0..1000: IQR 500
        assertEquals(500 / 1.349, RobustScale.of(v), 1e-9);
    }

    @Test
    void aZeroInterquartileRangeFallsBackToAWiderCentralRange() {
        // 80% zeros, 20% ones: IQR 0, but the 5-95% range is 1.
        double[] v = sorted(i -> i < 800 ? 0 : 1, 1000);
        assertEquals(1 / (2 * 1.6449), RobustScale.of(v), 1e-9);
    }

    @Test
    void thenTheStandardDeviation() {
        // 99.5% zeros: every central range is 0; the rare values still give the column a spread.
        double[] v = sorted(i -> i < 995 ? 0 : 20, 1000);
        double sd = Math.sqrt(5 * 20 * 20 * (1 - 0.005) / 999.0);
        assertEquals(sd, RobustScale.of(v), 1e-9);
    }

    @Test
    void constantsGetAFloorRelativeToTheirMagnitude() {
        assertEquals(RobustScale.MIN_SCALE, RobustScale.of(sorted(i -> 0, 100)), 0.0);
        assertEquals(RobustScale.MIN_SCALE, RobustScale.of(sorted(i -> 7, 100)), 0.0);
        assertEquals(15.0, RobustScale.of(sorted(i -> 1500, 100)), 1e-9, "1% of the magnitude");
        // So the z-score of a slightly different value stays small: jitter is not an anomaly.
        FeatureSpec spec = FeatureSpec.numeric("ttl", FeatureSpec.Transform.IDENTITY, 1500,
                RobustScale.of(sorted(i -> 1500, 100)));
        assertTrue(Math.abs(FeatureEncoder.standardise(spec, 1501)) < 0.1);
    }

    private static double[] sorted(java.util.function.IntToDoubleFunction f, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.applyAsDouble(i);
        }
        Arrays.sort(v);
        return v;
    }
}
