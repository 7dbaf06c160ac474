package io.recon.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recon.evaluation.BinaryMetrics;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsolationForestTest {

    private static final double EULER = 0.5772156649015329;

    static double[][] gaussianBlob(int rows, int features, Random random) {
        double[][] data = new double[rows][features];
        for (double[] row : data) {
            for (int f = 0; f < features; f++) {
                row[f] = random.nextGaussian();
            }
        }
        return data;
    }

    /**
     * AUROC of {@code baseline} fitted on {@code trainRows} Gaussian rows of 8 features, on 500
     * more and 50 outliers shifted by 6 sigma in two features: the check every baseline passes.
     */
    static double aurocOnShiftedRows(AnomalyBaseline baseline, int trainRows, long seed) {
        Random random = new Random(seed);
        double[][] train = gaussianBlob(trainRows, 8, random);
        boolean[] labels = new boolean[550];
        double[][] test = testSetWithOutliers(500, 50, 8, random, labels);
        baseline.fit(train);
        return BinaryMetrics.auroc(baseline.scoreAll(test), labels);
    }

    /** Normal test rows followed by outliers shifted by 6 sigma in a few random features. */
    static double[][] testSetWithOutliers(int normals, int outliers, int features, Random random, boolean[] labelsOut) {
        double[][] rows = new double[normals + outliers][];
        double[][] inliers = gaussianBlob(normals, features, random);
        System.arraycopy(inliers, 0, rows, 0, normals);
        for (int i = 0; i < outliers; i++) {
            double[] row = gaussianBlob(1, features, random)[0];
            for (int k = 0; k < 2; k++) {
                row[random.nextInt(features)] += random.nextBoolean() ? 6 : -6;
            }
            rows[normals + i] = row;
            labelsOut[normals + i] = true;
        }
        return rows;
    }

    @Test
    void averagePathLengthKnownValues() {
        assertEquals(0.0, IsolationForest.averagePathLength(0));
        assertEquals(0.0, IsolationForest.averagePathLength(1));
        assertEquals(1.0, IsolationForest.averagePathLength(2));
        assertEquals(2 * (Math.log(4) + EULER) - 2.0 * 4 / 5, IsolationForest.averagePathLength(5), 1e-12);
        assertEquals(2 * (Math.log(998) + EULER) - 2.0 * 998 / 999, IsolationForest.averagePathLength(999), 1e-12);
        // The usual normaliser for psi = 256.
        assertEquals(10.2448, IsolationForest.averagePathLength(256), 1e-4);
    }

    @Test
    void obviousOutlierScoresAboveEveryInlier() {
        double[][] train = gaussianBlob(500, 2, new Random(1));
        IsolationForest forest = new IsolationForest();
        forest.fit(train);
        double outlier = forest.score(new double[] {10, 10});
        double centre = forest.score(new double[] {0, 0});
        double maxInlier = Arrays.stream(forest.scoreAll(train)).max().orElseThrow();
        assertTrue(outlier > maxInlier, "outlier " + outlier + " vs max inlier " + maxInlier);
        assertTrue(outlier > 0.6, "outlier score " + outlier);
        assertTrue(centre < 0.5, "centre score " + centre);
        assertTrue(outlier <= 1.0 && centre > 0.0);
    }

    @Test
    void separatesInjectedOutliersOnGaussianBlob() {
        Random random = new Random(2);
        double[][] train = gaussianBlob(2000, 8, random);
        boolean[] labels = new boolean[550];
        double[][] test = testSetWithOutliers(500, 50, 8, random, labels);
        IsolationForest forest = new IsolationForest(100, 256, 7);
        forest.fit(train);
        double auroc = BinaryMetrics.auroc(forest.scoreAll(test), labels);
        assertTrue(auroc > 0.95, "AUROC " + auroc);
    }

    @Test
    void deterministicForASeed() {
        double[][] train = gaussianBlob(1000, 5, new Random(3));
        double[][] probe = gaussianBlob(50, 5, new Random(4));
        IsolationForest a = new IsolationForest(50, 128, 99);
        IsolationForest b = new IsolationForest(50, 128, 99);
        IsolationForest c = new IsolationForest(50, 128, 100);
        a.fit(train);
        b.fit(train);
        c.fit(train);
        assertArrayEquals(a.scoreAll(probe), b.scoreAll(probe));
        assertFalse(Arrays.equals(a.scoreAll(probe), c.scoreAll(probe)));
        // Refitting the same instance reproduces itself too.
        double[] before = a.scoreAll(probe);
        a.fit(train);
        assertArrayEquals(before, a.scoreAll(probe));
    }

    @Test
    void constantFeaturesDoNotBreakSplitting() {
        Random random = new Random(5);
        double[][] train = new double[300][3];
        for (double[] row : train) {
            row[0] = 4.0;                 // constant
            row[1] = random.nextGaussian();
            row[2] = -1.0;                // constant
        }
        IsolationForest forest = new IsolationForest(50, 64, 1);
        forest.fit(train);
        double inlier = forest.score(new double[] {4, 0, -1});
        double outlier = forest.score(new double[] {4, 8, -1});
        assertTrue(Double.isFinite(inlier) && Double.isFinite(outlier));
        assertTrue(outlier > inlier);
    }

    @Test
    void allRowsIdenticalGivesFiniteScores() {
        double[][] train = new double[20][2];
        IsolationForest forest = new IsolationForest(10, 16, 1);
        forest.fit(train);
        double s = forest.score(new double[] {0, 0});
        // Every tree is a single leaf of 16: h = c(16) = the normaliser, so s = 1/2.
        assertEquals(0.5, s, 1e-12);
        assertEquals(0.5, forest.score(new double[] {3, 3}), 1e-12);
    }

    @Test
    void sampleSizeLargerThanDataIsCapped() {
        double[][] train = gaussianBlob(30, 2, new Random(6));
        IsolationForest forest = new IsolationForest(20, 256, 1);
        forest.fit(train);
        assertTrue(forest.score(new double[] {20, 20}) > forest.score(new double[] {0, 0}));
    }

    @Test
    void rejectsBadUse() {
        assertThrows(IllegalArgumentException.class, () -> new IsolationForest(0, 256, 1));
        assertThrows(IllegalArgumentException.class, () -> new IsolationForest(10, 1, 1));
        IsolationForest forest = new IsolationForest();
        assertThrows(IllegalStateException.class, () -> forest.score(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> forest.fit(new double[0][]));
        assertThrows(IllegalArgumentException.class, () -> forest.fit(new double[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> forest.fit(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> forest.fit(new double[][] {{1, 2}, {3, Double.NaN}}));
        forest.fit(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThrows(IllegalArgumentException.class, () -> forest.score(new double[] {1, 2, 3}));
        assertEquals("isolation-forest", forest.name());
    }

    @Test
    void fitsAndScoresTwentyThousandWideRowsQuickly() {
        double[][] data = gaussianBlob(20_000, 60, new Random(8));
        IsolationForest forest = new IsolationForest();
        long start = System.nanoTime();
        forest.fit(data);
        double[] scores = forest.scoreAll(data);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(20_000, scores.length);
        // The target is a few seconds on 2 cores; the bound is loose so a busy CI box does not flake.
        assertTrue(seconds < 20, "took " + seconds + " s");
        System.out.printf("IsolationForest 200 trees, 20k x 60: fit+score %.2f s%n", seconds);
    }
}
