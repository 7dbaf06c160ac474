package io.recon.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

    private static final double EPS = 1e-12;

    private static boolean[] labels(int... bits) {
        boolean[] out = new boolean[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = bits[i] == 1;
        }
        return out;
    }

    /** Pairwise definition of AUROC: P(score_pos > score_neg) + 0.5 P(equal). */
    private static double bruteForceAuroc(double[] s, boolean[] y) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }

    /** Average precision straight from its definition, one threshold per distinct score. */
    private static double bruteForceAp(double[] s, boolean[] y) {
        double[] thresholds = Arrays.stream(s).distinct().sorted().toArray();
        long positives = 0;
        for (boolean b : y) {
            positives += b ? 1 : 0;
        }
        double ap = 0;
        double previousRecall = 0;
        for (int t = thresholds.length - 1; t >= 0; t--) {
            long tp = 0;
            long predicted = 0;
            for (int i = 0; i < s.length; i++) {
                if (s[i] >= thresholds[t]) {
                    predicted++;
                    tp += y[i] ? 1 : 0;
                }
            }
            double recall = (double) tp / positives;
            ap += (recall - previousRecall) * tp / predicted;
            previousRecall = recall;
        }
        return ap;
    }

    @Nested
    class Auroc {
        @Test
        void sklearnDocumentationExample() {
            assertEquals(0.75, BinaryMetrics.auroc(new double[] {0.1, 0.4, 0.35, 0.8}, labels(0, 0, 1, 1)), EPS);
        }

        @Test
        void perfectInverseAndAllTied() {
            double[] s = {1, 2, 3, 4, 5, 6};
            assertEquals(1.0, BinaryMetrics.auroc(s, labels(0, 0, 0, 1, 1, 1)), EPS);
            assertEquals(0.0, BinaryMetrics.auroc(s, labels(1, 1, 1, 0, 0, 0)), EPS);
            assertEquals(0.5, BinaryMetrics.auroc(new double[] {7, 7, 7, 7}, labels(0, 1, 0, 1)), EPS);
        }

        @Test
        void tiesCountHalf() {
            // pos {2, 3} vs neg {1, 2}: 2>1, 2=2 (half), 3>1, 3>2 -> 3.5 / 4
            assertEquals(0.875, BinaryMetrics.auroc(new double[] {1, 2, 2, 3}, labels(0, 1, 0, 1)), EPS);
        }

        @Test
        void inputOrderDoesNotMatter() {
            double a = BinaryMetrics.auroc(new double[] {0.3, 0.3, 0.9, 0.1}, labels(1, 0, 1, 0));
            double b = BinaryMetrics.auroc(new double[] {0.1, 0.9, 0.3, 0.3}, labels(0, 1, 0, 1));
            assertEquals(a, b, EPS);
        }

        @Test
        void randomScoresGiveAboutOneHalf() {
            Random random = new Random(1);
            int n = 20_000;
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = random.nextDouble();
                y[i] = random.nextDouble() < 0.3;
            }
            assertEquals(0.5, BinaryMetrics.auroc(s, y), 0.02);
        }

        @Test
        void agreesWithPairwiseDefinitionIncludingTies() {
            Random random = new Random(7);
            for (int trial = 0; trial < 50; trial++) {
                int n = 2 + random.nextInt(300);
                double[] s = new double[n];
                boolean[] y = new boolean[n];
                for (int i = 0; i < n; i++) {
                    // Coarse rounding makes ties common; labels correlate a little with scores.
                    s[i] = Math.round(random.nextGaussian() * 4) / 4.0;
                    y[i] = random.nextDouble() < 0.2 + 0.1 * Math.tanh(s[i]);
                }
                y[0] = true;
                y[1] = false;
                assertEquals(bruteForceAuroc(s, y), BinaryMetrics.auroc(s, y), 1e-9, "trial " + trial);
            }
        }

        @Test
        void rejectsBadInput() {
            assertThrows(IllegalArgumentException.class,
                    () -> BinaryMetrics.auroc(new double[] {1, 2}, labels(1)));
            assertThrows(IllegalArgumentException.class,
                    () -> BinaryMetrics.auroc(new double[] {1, 2}, labels(1, 1)));
            assertThrows(IllegalArgumentException.class,
                    () -> BinaryMetrics.auroc(new double[] {1, 2}, labels(0, 0)));
            assertThrows(IllegalArgumentException.class,
                    () -> BinaryMetrics.auroc(new double[0], new boolean[0]));
            assertThrows(IllegalArgumentException.class,
                    () -> BinaryMetrics.auroc(new double[] {1, Double.NaN}, labels(0, 1)));
        }
    }

    @Nested
    class AveragePrecision {
        @Test
        void sklearnDocumentationExample() {
            assertEquals(0.8333333333333333,
                    BinaryMetrics.auprc(new double[] {0.1, 0.4, 0.35, 0.8}, labels(0, 0, 1, 1)), 1e-12);
        }

        @Test
        void handComputedWithoutTies() {
            // 0.9(+): P=1, R=.5; 0.8(-); 0.7(+): P=2/3, R=1 -> .5 + .5 * 2/3
            double ap = BinaryMetrics.auprc(new double[] {0.9, 0.8, 0.7, 0.6, 0.5}, labels(1, 0, 1, 0, 0));
            assertEquals(0.5 + 1.0 / 3, ap, EPS);
        }

        @Test
        void tiedScoresFormOneThreshold() {
            // group 0.5 = {+, -}: P=.5, R=.5; 0.2(+): P=2/3, R=1 -> .25 + 1/3
            assertEquals(0.25 + 1.0 / 3, BinaryMetrics.auprc(new double[] {0.5, 0.5, 0.2}, labels(1, 0, 1)), EPS);
            assertEquals(0.25 + 1.0 / 3, BinaryMetrics.auprc(new double[] {0.5, 0.5, 0.2}, labels(0, 1, 1)), EPS);
        }

        @Test
        void perfectRankingAndAllTied() {
            assertEquals(1.0, BinaryMetrics.auprc(new double[] {0.1, 0.2, 0.8, 0.9}, labels(0, 0, 1, 1)), EPS);
            // One threshold holding everything: AP equals the prevalence.
            assertEquals(0.25, BinaryMetrics.auprc(new double[] {3, 3, 3, 3}, labels(0, 1, 0, 0)), EPS);
            // No negatives at all is still well defined.
            assertEquals(1.0, BinaryMetrics.auprc(new double[] {1, 2}, labels(1, 1)), EPS);
        }

        @Test
        void randomScoresGivePrevalence() {
            Random random = new Random(3);
            int n = 50_000;
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = random.nextDouble();
                y[i] = random.nextDouble() < 0.1;
            }
            assertEquals(0.1, BinaryMetrics.auprc(s, y), 0.01);
        }

        @Test
        void agreesWithDefinitionOnRandomData() {
            Random random = new Random(11);
            for (int trial = 0; trial < 30; trial++) {
                int n = 2 + random.nextInt(200);
                double[] s = new double[n];
                boolean[] y = new boolean[n];
                for (int i = 0; i < n; i++) {
                    s[i] = random.nextInt(20);
                    y[i] = random.nextBoolean();
                }
                y[0] = true;
                assertEquals(bruteForceAp(s, y), BinaryMetrics.auprc(s, y), 1e-9, "trial " + trial);
            }
        }

        @Test
        void needsAPositive() {
            assertThrows(IllegalArgumentException.class,
                    () -> BinaryMetrics.auprc(new double[] {1, 2}, labels(0, 0)));
        }
    }

    @Nested
    class Thresholds {
        private final double[] oneToTen = {5, 3, 9, 1, 10, 2, 8, 4, 7, 6};

        @Test
        void thresholdIsSmallestMeetingTheBudget() {
            assertEquals(10, BinaryMetrics.thresholdAtFpr(oneToTen, 0.0), EPS);
            assertEquals(9, BinaryMetrics.thresholdAtFpr(oneToTen, 0.1), EPS);
            assertEquals(9, BinaryMetrics.thresholdAtFpr(oneToTen, 0.15), EPS);
            assertEquals(8, BinaryMetrics.thresholdAtFpr(oneToTen, 0.25), EPS);
            assertEquals(1, BinaryMetrics.thresholdAtFpr(oneToTen, 0.9), EPS);
            assertEquals(Double.NEGATIVE_INFINITY, BinaryMetrics.thresholdAtFpr(oneToTen, 1.0));
        }

        @Test
        void ratesThatAreNotExactInBinaryStillCountCorrectly() {
            double[] normals = new double[100];
            for (int i = 0; i < normals.length; i++) {
                normals[i] = i;
            }
            // 0.29 * 100 == 28.999999999999996 in double arithmetic; 29 exceedances are allowed.
            double t = BinaryMetrics.thresholdAtFpr(normals, 0.29);
            assertEquals(70, t, EPS);
            assertEquals(0.29, BinaryMetrics.falsePositiveRate(normals, t), EPS);
        }

        @Test
        void tiesAtTheThreshold() {
            double[] normals = {1, 1, 1, 1};
            assertEquals(1, BinaryMetrics.thresholdAtFpr(normals, 0.0), EPS);
            assertEquals(0.0, BinaryMetrics.falsePositiveRate(normals, 1));
            double[] mixed = {0, 5, 5, 5};
            // 3/4 would exceed anything below 5, so t = 5 even for fpr = 0.5.
            assertEquals(5, BinaryMetrics.thresholdAtFpr(mixed, 0.5), EPS);
        }

        @Test
        void thresholdPropertyOnRandomData() {
            Random random = new Random(5);
            for (int trial = 0; trial < 200; trial++) {
                int n = 1 + random.nextInt(100);
                double[] normals = new double[n];
                for (int i = 0; i < n; i++) {
                    normals[i] = random.nextInt(15);
                }
                double fpr = random.nextDouble();
                double t = BinaryMetrics.thresholdAtFpr(normals, fpr);
                assertTrue(BinaryMetrics.falsePositiveRate(normals, t) <= fpr);
                if (t != Double.NEGATIVE_INFINITY) {
                    assertTrue(BinaryMetrics.falsePositiveRate(normals, Math.nextDown(t)) > fpr,
                            "a smaller threshold must break the budget");
                }
            }
        }

        @Test
        void falsePositiveRateIsStrict() {
            assertEquals(0.3, BinaryMetrics.falsePositiveRate(oneToTen, 7), EPS);
            assertEquals(1.0, BinaryMetrics.falsePositiveRate(oneToTen, 0), EPS);
            assertEquals(0.0, BinaryMetrics.falsePositiveRate(oneToTen, 10), EPS);
        }

        @Test
        void recallAtFprUsesNormalsOfTheSameSet() {
            double[] s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9.5, 4.5, 11};
            boolean[] y = labels(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
            // fpr 0.1 -> t = 9: positives 9.5 and 11 are above, 4.5 is not.
            assertEquals(2.0 / 3, BinaryMetrics.recallAtFpr(s, y, 0.1), EPS);
            // fpr 0 -> t = 10: only 11.
            assertEquals(1.0 / 3, BinaryMetrics.recallAtFpr(s, y, 0.0), EPS);
            assertEquals(1.0, BinaryMetrics.recallAtFpr(s, y, 0.7), EPS);
        }

        @Test
        void rejectsBadInput() {
            assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.thresholdAtFpr(new double[0], 0.1));
            assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.thresholdAtFpr(oneToTen, -0.1));
            assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.thresholdAtFpr(oneToTen, 1.5));
            assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.thresholdAtFpr(oneToTen, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.falsePositiveRate(new double[0], 1));
            assertThrows(IllegalArgumentException.class,
                    () -> BinaryMetrics.recallAtFpr(new double[] {1, 2}, labels(1, 1), 0.1));
        }
    }
}
