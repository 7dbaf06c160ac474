package io.recon.evaluation.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;

/**
 * Sampled Shapley on games whose Shapley values are known, without a network: features are swapped
 * in whole (a category's one-hot block together), an additive game's values are exact with any number
 * of permutations, a pure interaction is split evenly in expectation, several backgrounds average the
 * game over them, and the values always add up.
 */
class PermutationShapleyTest {

    private static final FeatureEncoder ENCODER = new FeatureEncoder(List.of(
            FeatureSpec.numeric("a", FeatureSpec.Transform.IDENTITY, 0, 1),
            FeatureSpec.categorical("c", List.of("x", "y")), // three inputs: x, y, (other)
            FeatureSpec.numeric("b", FeatureSpec.Transform.IDENTITY, 0, 1)));
    private static final float[] BACKGROUND = {0, 1, 0, 0, 0};
    private static final float[] ROW = {2, 0, 1, 0, -3};
    /** v(x) = 1.5 a + 10 x + 20 y + 30 other - 2 b: every permutation gives each player its own term. */
    private static final CoalitionValue ADDITIVE = rows -> rows.stream().mapToDouble(x -> {
        double[] w = {1.5, 10, 20, 30, -2};
        double v = 0;
        for (int c = 0; c < x.length; c++) {
            v += w[c] * x[c];
        }
        return v;
    }).toArray();

    @Test
    void anAdditiveGameGetsItsExactTermsFromEveryPermutation() {
        double[] phi = new PermutationShapley(ADDITIVE, ENCODER, BACKGROUND, 3, 1).attribute(List.of(ROW))[0];
        // a: 1.5 * 2; c: x 1 -> 0, y 0 -> 1 as one player: 20 - 10; b: -2 * -3.
        assertArrayEquals(new double[] {3, 10, 6}, phi, 1e-9);
    }

    @Test
    void aPureInteractionIsSharedAndTheValuesAlwaysAddUp() {
        // v = a * b (the category does nothing): Shapley gives each of a and b half of 2 * -3.
        CoalitionValue product = rows -> rows.stream().mapToDouble(x -> (double) x[0] * x[4]).toArray();
        double[] phi = new PermutationShapley(product, ENCODER, BACKGROUND, 4000, 7).attribute(List.of(ROW))[0];
        assertEquals(-3, phi[0], 0.2);
        assertEquals(-3, phi[2], 0.2);
        assertEquals(0, phi[1], 1e-12, "a dummy player gets nothing");
        double[] few = new PermutationShapley(product, ENCODER, BACKGROUND, 1, 7).attribute(List.of(ROW))[0];
        assertEquals(-6, few[0] + few[1] + few[2], 1e-12, "value(row) - value(background), even from one permutation");
    }

    @Test
    void severalBackgroundsAverageTheGameOverThemAndTheValuesStillAddUp() {
        float[] other = {1, 0, 0, 1, 1};
        // Four permutations, two from each background: the mean of the two exact answers.
        double[] phi = new PermutationShapley(ADDITIVE, ENCODER, List.of(BACKGROUND, other), 4, 1)
                .attribute(List.of(ROW))[0];
        assertArrayEquals(new double[] {(3 + 1.5) / 2, (10 + -10) / 2.0, (6 + 8) / 2.0}, phi, 1e-9);
        CoalitionValue product = rows -> rows.stream().mapToDouble(x -> (double) x[0] * x[4] + x[3]).toArray();
        double[] few = new PermutationShapley(product, ENCODER, List.of(BACKGROUND, other), 3, 9)
                .attribute(List.of(ROW))[0];
        // value(row) = -6; backgrounds 0 and 2, used by permutations 0, 2 and 1: mean 2 / 3.
        assertEquals(-6 - 2.0 / 3, few[0] + few[1] + few[2], 1e-12);
    }

    @Test
    void theSameSeedGivesTheSameValues() {
        CoalitionValue product = rows -> rows.stream().mapToDouble(x -> (double) x[0] * x[4] * (1 + x[2])).toArray();
        double[][] once = new PermutationShapley(product, ENCODER, BACKGROUND, 5, 3).attribute(List.of(ROW, ROW));
        double[][] again = new PermutationShapley(product, ENCODER, BACKGROUND, 5, 3).attribute(List.of(ROW, ROW));
        assertArrayEquals(once[0], again[0]);
        assertArrayEquals(once[1], again[1]);
    }
}
