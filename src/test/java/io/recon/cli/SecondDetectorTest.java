package io.recon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The VAE and the transformer as one score: each standardised on held-out normal rows, then added. */
class SecondDetectorTest {

    @Test
    void eachScoreIsPutOnItsHeldOutNormalsScaleBeforeTheSum() {
        // References: median 10, MAD 2 (spread 2.9652); median 0, MAD 100 (spread 148.26).
        double[] vaeHeldOut = {6, 8, 10, 12, 14};
        double[] transformerHeldOut = {-200, -100, 0, 100, 200};
        double[] vae = {10, 10 + 2.9652 * 3};
        double[] transformer = {148.26, 0};
        assertArrayEquals(new double[] {1, 3}, SecondDetector.sum(vae, vaeHeldOut, transformer, transformerHeldOut),
                1e-9, "a score far out on one detector's own scale counts as far out, whatever its units");
    }

    @Test
    void aConstantReferenceOnlyCentresAndMismatchedRowsAreRefused() {
        assertArrayEquals(new double[] {0, 1e9}, SecondDetector.standardised(new double[] {5, 6}, new double[] {5, 5}),
                1e-3);
        assertThrows(IllegalArgumentException.class,
                () -> SecondDetector.sum(new double[2], new double[1], new double[3], new double[1]));
        assertThrows(IllegalArgumentException.class, () -> SecondDetector.standardised(new double[1], new double[0]));
    }
}
