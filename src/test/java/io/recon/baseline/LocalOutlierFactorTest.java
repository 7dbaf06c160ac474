package io.recon.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;


class LocalOutlierFactorTest {

    /**
     * Training rows 0, 1, 2, 10, 12 on a line; with k = 2 every figure can be worked by hand.
     * scikit-learn 1.2.1's {@code LocalOutlierFactor(n_neighbors=2, novelty=True)} gives the same
     * (negated {@code score_samples}: 2.0417 at 5, 0.875 at 1.5).
     */
    private static final double[][] LINE = {{0}, {1}, {2}, {10}, {12}};

    @Test
    void matchesTheDefinitionWorkedByHand() {
        LocalOutlierFactor lof = new LocalOutlierFactor(2);
        lof.fit(LINE);
        // k-distances 2, 1, 2, 8, 10; densities 2/3, 1/2, 2/3, 1/9, 1/9.
        // 5: neighbours 2 and 1, reachability max(2, 3) and max(1, 4), density 1 / 3.5;
        // LOF = ((2/3 + 1/2) / 2) * 3.5.
        assertEquals((2.0 / 3 + 0.5) / 2 * 3.5, lof.score(new double[] {5}), 1e-8);
        // 1.5: neighbours 1 and 2 (0.5 each), reachability 1 and 2, density 2/3.
        assertEquals((0.5 + 2.0 / 3) / 2 / (2.0 / 3), lof.score(new double[] {1.5}), 1e-8);
    }

    @Test
    void findsARowBesideADenseClusterThatAGlobalDistanceRanksAsNormal() {
        Random random = new Random(3);
        double[][] rows = new double[400][];
        for (int i = 0; i < 200; i++) {
            rows[i] = new double[] {0.1 * random.nextGaussian(), 0.1 * random.nextGaussian()};
            rows[200 + i] = new double[] {10 + 2 * random.nextGaussian(), 10 + 2 * random.nextGaussian()};
        }
        double[] besideDense = {0.8, 0};
        double[] insideSparse = {11.5, 10};
        LocalOutlierFactor lof = new LocalOutlierFactor();
        lof.fit(rows);
        assertTrue(lof.score(besideDense) > 3, "beside the dense cluster: " + lof.score(besideDense));
        assertTrue(lof.score(insideSparse) < 1.5, "inside the sparse cluster: " + lof.score(insideSparse));
        KNearestNeighbourDistance knn = new KNearestNeighbourDistance();
        knn.fit(rows);
        assertTrue(knn.score(besideDense) < 2 * knn.score(insideSparse), "a global distance sees little between them");
    }

    @Test
    void ranksShiftedRowsAboveNormalOnes() {
        double auroc = IsolationForestTest.aurocOnShiftedRows(new LocalOutlierFactor(), 1000, 7);
        // Below the per-feature detectors' 0.95: a distance over all 8 features dilutes a shift in
        // two of them, and an outlier whose two shifts hit one feature in opposite signs is none.
        assertTrue(auroc > 0.9, "AUROC " + auroc);
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> new LocalOutlierFactor(0));
        assertThrows(IllegalArgumentException.class, () -> new LocalOutlierFactor(5).fit(LINE));
        assertThrows(IllegalStateException.class, () -> new LocalOutlierFactor().score(new double[] {1}));
        LocalOutlierFactor lof = new LocalOutlierFactor(2);
        lof.fit(LINE);
        assertThrows(IllegalArgumentException.class, () -> lof.score(new double[] {1, 2}));
    }

    @Test
    void duplicateTrainingRowsDoNotDivideByZero() {
        double[][] rows = {{1}, {1}, {1}, {1}, {5}};
        LocalOutlierFactor lof = new LocalOutlierFactor(2);
        lof.fit(rows);
        assertTrue(Double.isFinite(lof.score(new double[] {1})));
        assertTrue(lof.score(new double[] {3}) > lof.score(new double[] {1}));
    }
}
