package io.recon.nn.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The quantile transform: near-normal scores for skewed columns, and back inside the training range. */
class QuantileNormalizerTest {

    @Test
    void aHeavyTailedColumnComesOutNearStandardNormal() {
        Random random = new Random(1);
        double[] bytes = new double[5000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = Math.exp(8 + 3 * random.nextGaussian()); // byte counts over several decades
        }
        QuantileNormalizer n = QuantileNormalizer.fit(bytes);
        double[] z = Arrays.stream(bytes).map(n::encode).toArray();
        double mean = Arrays.stream(z).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(z).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
        assertEquals(0, mean, 0.02);
        assertEquals(1, sd, 0.05);
        assertTrue(Arrays.stream(z).allMatch(v -> Math.abs(v) < 3.1));
    }

    @Test
    void decodingRunsTheTransformBackwardsWithinTheTrainingRange() {
        double[] values = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};
        QuantileNormalizer n = QuantileNormalizer.fit(values);
        for (double v : values) {
            assertEquals(v, n.decode(n.encode(v)), 1e-6 * v);
        }
        assertEquals(1, n.decode(-40));
        assertEquals(89, n.decode(40));
        assertEquals(1, n.decode(Double.NEGATIVE_INFINITY));
        assertTrue(n.decode(Double.NaN) >= 8 && n.decode(Double.NaN) <= 13, "NaN decodes to the median");
    }

    @Test
    void aMostlyZeroCountKeepsItsShareOfZerosAndWholeNumbers() {
        double[] counts = new double[1000];
        for (int i = 900; i < counts.length; i++) {
            counts[i] = i % 7 + 1;
        }
        QuantileNormalizer n = QuantileNormalizer.fit(counts);
        assertTrue(n.integer());
        // The zeros share one score, in the middle of their run of quantiles.
        assertEquals(n.encode(0), n.encode(0));
        Random random = new Random(3);
        int zeros = 0;
        for (int i = 0; i < 20_000; i++) {
            double v = n.decode(random.nextGaussian());
            assertEquals(Math.rint(v), v);
            assertTrue(v >= 0 && v <= 7);
            zeros += v == 0 ? 1 : 0;
        }
        assertEquals(0.9, zeros / 20_000.0, 0.01);
    }

    @Test
    void aConstantColumnDecodesToItsValue() {
        QuantileNormalizer n = QuantileNormalizer.fit(new double[] {7, 7, 7});
        assertEquals(7, n.decode(n.encode(7)));
        assertEquals(7, n.decode(2.5));
    }

    @Test
    void knotsMustBeFiniteAndAscending() {
        assertThrows(IllegalArgumentException.class, () -> new QuantileNormalizer(new double[] {2, 1}, false));
        assertThrows(IllegalArgumentException.class, () -> new QuantileNormalizer(new double[] {Double.NaN}, false));
        assertThrows(IllegalArgumentException.class, () -> QuantileNormalizer.fit(new double[0]));
    }
}
