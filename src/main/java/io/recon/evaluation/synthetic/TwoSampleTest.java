package io.recon.evaluation.synthetic;

import io.recon.data.FeatureRows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.recon.evaluation.BinaryMetrics;

/**
 * A classifier two-sample test: how well a classifier tells synthetic rows from real ones it has
 * not seen, as an AUROC (0.5: indistinguishable; 1: every synthetic row is recognised). The
 * classifier is k nearest neighbours in a {@link RowSpace}, a non-linear classifier with nothing to
 * tune: an equal number of real and synthetic rows is shuffled and halved; each row of the second
 * half is scored by the share of synthetic rows among its k nearest neighbours in the first half.
 */
public final class TwoSampleTest {

    /** Neighbours consulted per row. */
    public static final int NEIGHBOURS = 10;

    private TwoSampleTest() {
    }

    /**
     * @param space     where distances are taken
     * @param real      real rows the generator never saw
     * @param synthetic generated rows
     * @param maxRows   most rows taken from each side (the test is quadratic in it)
     * @param seed      seed of the sampling and the shuffle
     * @return the AUROC of telling synthetic from real
     */
    public static double auroc(RowSpace space, FeatureRows real, FeatureRows synthetic, int maxRows, long seed) {
        Random random = new Random(seed);
        int n = Math.min(maxRows, Math.min(real.size(), synthetic.size()));
        if (n < 2 * NEIGHBOURS) {
            throw new IllegalArgumentException("a two-sample test needs at least " + 2 * NEIGHBOURS
                    + " rows on each side, not " + n);
        }
        double[][] r = sample(space.embed(real), n, random);
        double[][] s = sample(space.embed(synthetic), n, random);
        List<double[]> points = new ArrayList<>(2 * n);
        List<Boolean> isSynthetic = new ArrayList<>(2 * n);
        List<Integer> order = new ArrayList<>(2 * n);
        for (int i = 0; i < 2 * n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        for (int i : order) {
            points.add(i < n ? r[i] : s[i - n]);
            isSynthetic.add(i >= n);
        }
        int half = n; // first half fits, second half is scored
        double[][] fit = points.subList(0, half).toArray(new double[0][]);
        double[] scores = new double[points.size() - half];
        boolean[] labels = new boolean[scores.length];
        for (int t = 0; t < scores.length; t++) {
            double[] query = points.get(half + t);
            labels[t] = isSynthetic.get(half + t);
            scores[t] = syntheticShare(query, fit, isSynthetic.subList(0, half));
        }
        return BinaryMetrics.auroc(scores, labels);
    }

    private static double syntheticShare(double[] query, double[][] fit, List<Boolean> fitSynthetic) {
        int synthetic = 0;
        for (int n : RowSpace.nearest(query, fit, NEIGHBOURS, -1)) {
            synthetic += fitSynthetic.get(n) ? 1 : 0;
        }
        return synthetic / (double) NEIGHBOURS;
    }

    private static double[][] sample(double[][] rows, int n, Random random) {
        List<double[]> all = new ArrayList<>(List.of(rows));
        Collections.shuffle(all, random);
        return all.subList(0, n).toArray(new double[0][]);
    }
}
