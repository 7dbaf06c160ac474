package io.recon.baseline;

import java.util.stream.IntStream;

/**
 * Local outlier factor (Breunig et al., 2000) in novelty mode, as scikit-learn's {@code
 * LocalOutlierFactor(novelty=True)}: fitted on normal rows, a new row scores the mean local
 * reachability density of its k nearest training rows over its own. About 1 inside a cluster of
 * any density, well above 1 for a row sparser than its neighbours, so it finds anomalies near a
 * dense cluster that a global distance misses.
 */
public final class LocalOutlierFactor implements AnomalyBaseline {

    /** scikit-learn's default k. */
    public static final int DEFAULT_K = 20;
    /** Added to a mean reachability distance, as scikit-learn does, so duplicate rows do not divide by zero. */
    private static final double DUPLICATE_GUARD = 1e-10;

    private final int k;
    private NearestNeighbours neighbours;
    private double[] kDistance;
    private double[] density;
    private int features;

    /** The detector with k = {@value #DEFAULT_K}. */
    public LocalOutlierFactor() {
        this(DEFAULT_K);
    }

    /** @param k neighbourhood size, at least 1 */
    public LocalOutlierFactor(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public String name() {
        return "lof";
    }

    /** @throws IllegalArgumentException when there are not more than k rows, or they are ragged or not finite */
    @Override
    public void fit(double[][] normalRows) {
        int width = RobustZScore.requireRectangularFinite(normalRows);
        if (normalRows.length <= k) {
            throw new IllegalArgumentException("k = " + k + " needs more than " + k + " training rows, got "
                    + normalRows.length);
        }
        NearestNeighbours search = new NearestNeighbours(normalRows.clone());
        NearestNeighbours.Found[] found = IntStream.range(0, normalRows.length).parallel()
                .mapToObj(i -> search.nearest(normalRows[i], k, i)).toArray(NearestNeighbours.Found[]::new);
        double[] kDist = new double[found.length];
        for (int i = 0; i < found.length; i++) {
            kDist[i] = found[i].kDistance();
        }
        double[] lrd = new double[found.length];
        for (int i = 0; i < found.length; i++) {
            lrd[i] = reachabilityDensity(found[i], kDist);
        }
        neighbours = search;
        kDistance = kDist;
        density = lrd;
        features = width;
    }

    @Override
    public double score(double[] row) {
        if (neighbours == null) {
            throw new IllegalStateException("LocalOutlierFactor is not fitted");
        }
        if (row.length != features) {
            throw new IllegalArgumentException("expected " + features + " features, got " + row.length);
        }
        NearestNeighbours.Found found = neighbours.nearest(row, k, -1);
        double own = reachabilityDensity(found, kDistance);
        double sum = 0;
        for (int o : found.indices()) {
            sum += density[o];
        }
        return sum / k / own;
    }

    /** Scores rows in parallel (each row's score depends on that row alone, so the result is the same). */
    @Override
    public double[] scoreAll(double[][] rows) {
        return IntStream.range(0, rows.length).parallel().mapToDouble(i -> score(rows[i])).toArray();
    }

    /** 1 / mean over the neighbours o of max(k-distance(o), d(row, o)). */
    private static double reachabilityDensity(NearestNeighbours.Found found, double[] kDistance) {
        double sum = 0;
        int[] indices = found.indices();
        for (int j = 0; j < indices.length; j++) {
            sum += Math.max(kDistance[indices[j]], found.distances()[j]);
        }
        return 1 / (sum / indices.length + DUPLICATE_GUARD);
    }
}
