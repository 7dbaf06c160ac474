package io.recon.evaluation.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class StandardisedAttributionTest {

    /** The attribution of a row is the row itself: feature f's value is its attribution. */
    private static final FeatureAttribution IDENTITY = rows -> {
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = new double[rows.get(r).length];
            for (int f = 0; f < out[r].length; f++) {
                out[r][f] = rows.get(r)[f];
            }
        }
        return out;
    };

    @Test
    void aSmallMoveOfAQuietFeatureOutranksTheUsualSizeOfANoisyOne() {
        // Feature 0 is always large and noisy (10 +- 5), feature 1 small and quiet (0.1 +- 0.01).
        Random random = new Random(3);
        List<float[]> normal = new ArrayList<>();
        for (int i = 0; i < 2001; i++) {
            normal.add(new float[] {(float) (10 + 5 * random.nextGaussian()), (float) (0.1 + 0.01 * random.nextGaussian())});
        }
        StandardisedAttribution standardised = StandardisedAttribution.fit(IDENTITY, normal, 1e-6);
        assertEquals(10, standardised.medians()[0], 0.5);
        assertEquals(5, standardised.spreads()[0], 0.5);
        assertEquals(0.01, standardised.spreads()[1], 0.001);

        // Raw, feature 0 ranks first; in units of each feature's spread the quiet one that moved does.
        float[] row = {14f, 0.2f};
        double[] z = standardised.attribute(List.of(row))[0];
        assertTrue(z[1] > 5 && z[0] < 1.5, java.util.Arrays.toString(z));
    }

    @Test
    void aFeatureThatNeverMovesGetsTheMinimumSpread() {
        List<float[]> normal = List.of(new float[] {1f}, new float[] {1f}, new float[] {1f});
        StandardisedAttribution standardised = StandardisedAttribution.fit(IDENTITY, normal, 0.5);
        assertArrayEquals(new double[] {0}, standardised.spreads());
        assertArrayEquals(new double[] {2.0}, standardised.attribute(List.of(new float[] {2f}))[0], 1e-9);
    }

    @Test
    void refusesNoRowsAndANonPositiveMinimum() {
        assertThrows(IllegalArgumentException.class, () -> StandardisedAttribution.fit(IDENTITY, List.of(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> StandardisedAttribution.fit(IDENTITY, List.of(new float[] {1f}), 0));
    }
}
