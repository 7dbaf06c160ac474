package io.recon.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;


class KNearestNeighbourDistanceTest {

    @Test
    void scoresTheDistanceToTheKthNearestTrainingRow() {
        KNearestNeighbourDistance knn = new KNearestNeighbourDistance(2);
        knn.fit(new double[][] {{0, 0}, {1, 0}, {2, 0}, {10, 0}, {12, 0}});
        assertEquals(4, knn.score(new double[] {5, 0}), 1e-12); // 3 to (2, 0), then 4 to (1, 0)
        assertEquals(1, knn.score(new double[] {11, 0}), 1e-12);
        assertEquals(Math.sqrt(17), knn.score(new double[] {1, 4}), 1e-12); // 4 to (1, 0), then sqrt(17) to (0, 0)
    }

    @Test
    void scoringInParallelGivesTheSameScoresAsOneByOne() {
        Random random = new Random(1);
        double[][] train = IsolationForestTest.gaussianBlob(500, 6, random);
        double[][] test = IsolationForestTest.gaussianBlob(300, 6, random);
        KNearestNeighbourDistance knn = new KNearestNeighbourDistance();
        knn.fit(train);
        double[] oneByOne = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            oneByOne[i] = knn.score(test[i]);
        }
        assertArrayEquals(oneByOne, knn.scoreAll(test));
    }

    @Test
    void leaveOneOutScoresLeaveOnlyTheRowItselfOut() {
        KNearestNeighbourDistance knn = new KNearestNeighbourDistance(2);
        knn.fit(new double[][] {{0, 0}, {1, 0}, {1, 0}, {4, 0}});
        // Row 1 leaves itself out but keeps its duplicate, row 2: 0 to it, then 1 to (0, 0).
        assertArrayEquals(new double[] {1, 1, 1}, knn.leaveOneOutScores(3), 1e-12);
        // As the k+1-th distance of a row that finds itself first, on rows with no duplicates.
        Random random = new Random(2);
        double[][] train = IsolationForestTest.gaussianBlob(200, 4, random);
        KNearestNeighbourDistance five = new KNearestNeighbourDistance(5);
        five.fit(train);
        KNearestNeighbourDistance six = new KNearestNeighbourDistance(6);
        six.fit(train);
        assertArrayEquals(six.scoreAll(Arrays.copyOf(train, 50)), five.leaveOneOutScores(50), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> five.leaveOneOutScores(201));
        assertThrows(IllegalStateException.class, () -> new KNearestNeighbourDistance().leaveOneOutScores(1));
    }

    @Test
    void ranksShiftedRowsAboveNormalOnes() {
        double auroc = IsolationForestTest.aurocOnShiftedRows(new KNearestNeighbourDistance(), 1000, 7);
        // Below the per-feature detectors' 0.95: a distance over all 8 features dilutes a shift in
        // two of them, and an outlier whose two shifts hit one feature in opposite signs is none.
        assertTrue(auroc > 0.9, "AUROC " + auroc);
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> new KNearestNeighbourDistance(0));
        assertThrows(IllegalArgumentException.class,
                () -> new KNearestNeighbourDistance(3).fit(new double[][] {{1}, {2}}));
        assertThrows(IllegalStateException.class, () -> new KNearestNeighbourDistance().score(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new KNearestNeighbourDistance(1)
                .fit(new double[][] {{1}, {Double.NaN}}));
    }
}
