package io.recon.baseline;

import io.recon.evaluation.synthetic.RowSpace;

/**
 * Exact k-nearest-neighbour search by Euclidean distance over a fixed set of reference rows, by
 * brute force ({@link RowSpace#nearest}, which SMOTE and the synthetic-data tests use too): the
 * baselines' training sets are thousands of rows of tens of features, where a scan is fast and a
 * tree buys nothing. Adds the distances, which LOF needs.
 */
final class NearestNeighbours {

    /**
     * The k nearest reference rows of a query, nearest first.
     *
     * @param indices   reference row indices
     * @param distances their distances to the query
     */
    record Found(int[] indices, double[] distances) {

        /** Distance to the farthest of the k (the query's k-distance). */
        double kDistance() {
            return distances[distances.length - 1];
        }
    }

    private final double[][] reference;

    /** A search over {@code reference} (kept, not copied). */
    NearestNeighbours(double[][] reference) {
        this.reference = reference;
    }

    /** Reference rows. */
    int size() {
        return reference.length;
    }

    /** Reference row {@code i}. */
    double[] row(int i) {
        return reference[i];
    }

    /**
     * The {@code k} reference rows nearest to {@code query}, leaving out reference row {@code exclude}
     * (a row's own index when it is itself in the reference; -1 for none). Ties go to the lower index.
     */
    Found nearest(double[] query, int k, int exclude) {
        int[] indices = RowSpace.nearest(query, reference, k, exclude);
        double[] distances = new double[k];
        for (int i = 0; i < k; i++) {
            distances[i] = Math.sqrt(RowSpace.squaredDistance(query, reference[indices[i]]));
        }
        return new Found(indices, distances);
    }
}
