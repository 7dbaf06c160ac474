package io.recon.evaluation.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Ranks count ties and NaN against the cause, so a method that says nothing scores worst. */
class CauseRankingTest {

    @Test
    void aStrictlyLargestCauseRanksFirstAndTiesCountAgainstIt() {
        assertEquals(1, CauseRanking.rank(new double[] {0.1, 3, 2}, 1));
        assertEquals(2, CauseRanking.rank(new double[] {0.1, 2, 3}, 1));
        assertEquals(3, CauseRanking.rank(new double[] {2, 2, 2}, 0), "all equal: last, not first");
        assertEquals(2, CauseRanking.rank(new double[] {Double.NaN, 5, 1}, 1), "a NaN elsewhere is above");
        assertEquals(3, CauseRanking.rank(new double[] {0, Double.NaN, 1}, 1), "a NaN cause is last");
    }

    @Test
    void hitRatesAndAveragePrecisionOverRows() {
        double[][] attributions = {{3, 1, 0, 0}, {1, 3, 2, 0}, {0, 1, 2, 3}, {0, 0, 0, 0}};
        // Causes 0, 0, 0, 0: ranks 1, 3, 4, 4.
        CauseRanking r = CauseRanking.of(attributions, List.of(0, 0, 0, 0));
        assertEquals(4, r.rows());
        assertEquals(0.25, r.hitAt1(), 1e-12);
        assertEquals(0.5, r.hitAt3(), 1e-12);
        assertEquals((1 + 1.0 / 3 + 0.25 + 0.25) / 4, r.averagePrecision(), 1e-12);
    }

    @Test
    void magnitudesRankANegativeAttributionByItsSize() {
        double[][] m = CauseRanking.magnitudes(new double[][] {{0.5, -4, 1}});
        assertEquals(1, CauseRanking.rank(m[0], 1));
    }

    @Test
    void excessSurpriseSubtractsEachFeaturesNormalMedian() {
        double[][] e = ExcessSurprise.of(new double[][] {{3, 1}}, new double[] {2.5, -1});
        assertEquals(0.5, e[0][0], 1e-12);
        assertEquals(2, e[0][1], 1e-12);
        assertEquals(1, CauseRanking.rank(e[0], 1), "the feature normally cheap but not here wins");
    }
}
