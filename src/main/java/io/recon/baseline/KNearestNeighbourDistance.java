package io.recon.baseline;

import java.util.stream.IntStream;

/**
 * k-nearest-neighbour distance (Ramaswamy, Rastogi &amp; Shim, 2000): a row's score is its Euclidean
 * distance to the k-th nearest normal training row. With no parameters to learn and no assumption
 * of independent features, it is the baseline that learnt tabular detectors most often fail to
 * beat (ADBench, 2022).
 */
public final class KNearestNeighbourDistance implements AnomalyBaseline {

    /** PyOD's and ADBench's default k. */
    public static final int DEFAULT_K = 5;

    private final int k;
    private NearestNeighbours neighbours;
    private int features;

    /** The detector with k = {@value #DEFAULT_K}. */
    public KNearestNeighbourDistance() {
        this(DEFAULT_K);
    }

    /** @param k the neighbour whose distance is the score, at least 1 */
    public KNearestNeighbourDistance(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public String name() {
        return "knn";
    }

    /** @throws IllegalArgumentException when there are fewer than k rows, or they are ragged or not finite */
    @Override
    public void fit(double[][] normalRows) {
        int width = RobustZScore.requireRectangularFinite(normalRows);
        if (normalRows.length < k) {
            throw new IllegalArgumentException("k = " + k + " needs at least " + k + " training rows, got "
                    + normalRows.length);
        }
        neighbours = new NearestNeighbours(normalRows.clone());
        features = width;
    }

    @Override
    public double score(double[] row) {
        if (neighbours == null) {
            throw new IllegalStateException("KNearestNeighbourDistance is not fitted");
        }
        if (row.length != features) {
            throw new IllegalArgumentException("expected " + features + " features, got " + row.length);
        }
        return neighbours.nearest(row, k, -1).kDistance();
    }

    /**
     * The first {@code count} training rows' own scores, each row left out of its own neighbours (it
     * would find itself at distance 0): what a new row like them scores, for scaling the score by.
     */
    public double[] leaveOneOutScores(int count) {
        if (neighbours == null) {
            throw new IllegalStateException("KNearestNeighbourDistance is not fitted");
        }
        if (count < 0 || count > neighbours.size()) {
            throw new IllegalArgumentException("count must be 0.." + neighbours.size() + ", got " + count);
        }
        if (neighbours.size() <= k) {
            throw new IllegalArgumentException("leaving a row out needs more than k = " + k + " training rows, got "
                    + neighbours.size());
        }
        return IntStream.range(0, count).parallel()
                .mapToDouble(i -> neighbours.nearest(neighbours.row(i), k, i).kDistance()).toArray();
    }

    /** Scores rows in parallel (each row's score depends on that row alone, so the result is the same). */
    @Override
    public double[] scoreAll(double[][] rows) {
        return IntStream.range(0, rows.length).parallel().mapToDouble(i -> score(rows[i])).toArray();
    }
}
