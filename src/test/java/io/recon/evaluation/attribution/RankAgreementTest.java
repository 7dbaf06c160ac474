package io.recon.evaluation.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankAgreementTest {

    @Test
    void placesAreDescendingAndTiesShareTheirMeanPlace() {
        assertArrayEquals(new double[] {2, 0.5, 0.5, 3}, RankAgreement.places(new double[] {1, 5, 5, -2}));
    }

    @Test
    void aFeatureNearTheTopOfBothOutranksOneFirstInOnlyOne() {
        // Feature 0 is first by surprise but last by share; feature 1 is second in both.
        double[][] surprise = {{90, 80, 1, 2}};
        double[][] share = {{0.01, 0.40, 0.30, 0.29}};
        double[] combined = RankAgreement.of(surprise, share)[0];
        assertTrue(combined[1] > combined[0], java.util.Arrays.toString(combined));
        // The scales do not matter, only the order within each ranking.
        double[] rescaled = RankAgreement.of(new double[][] {{9e6, 8e6, 1, 2}}, new double[][] {{1, 40, 30, 29}})[0];
        assertArrayEquals(combined, rescaled, 1e-12);
    }

    @Test
    void theFirstRankingBreaksTies() {
        // Features 0 and 1 have the same summed place (0 + 1 and 1 + 0); the surprise puts 0 first.
        double[] combined = RankAgreement.of(new double[][] {{3, 2, 1}}, new double[][] {{2, 3, 1}})[0];
        assertTrue(combined[0] > combined[1], java.util.Arrays.toString(combined));
    }

    @Test
    void refusesRankingsOfDifferentShapes() {
        assertThrows(IllegalArgumentException.class, () -> RankAgreement.of(new double[][] {{1, 2}},
                new double[][] {{1, 2, 3}}));
        assertThrows(IllegalArgumentException.class, () -> RankAgreement.of(new double[][] {{1}},
                new double[][] {{1}, {2}}));
    }
}
