package io.recon.baseline;

import java.util.Arrays;

/**
 * Exact k-nearest-neighbour search by Euclidean distance over a fixed set of reference rows, by
 * brute force: the baselines' training sets are thousands of rows of tens of features, where a
 * scan is fast and a tree buys nothing.
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

    /**
     * The {@code k} reference rows nearest to {@code query}, leaving out reference row {@code exclude}
     * (a row's own index when it is itself in the reference; -1 for none). Ties go to the lower index.
     */
    Found nearest(double[] query, int k, int exclude) {
        int[] indices = new int[k];
        double[] squared = new double[k];
        Arrays.fill(squared, Double.POSITIVE_INFINITY);
        Arrays.fill(indices, -1);
        for (int r = 0; r < reference.length; r++) {
            if (r == exclude) {
                continue;
            }
            double d = squaredDistance(query, reference[r], squared[k - 1]);
            if (d < squared[k - 1]) {
                // insertion into the sorted k: k is small (5-20)
                int at = k - 1;
                while (at > 0 && squared[at - 1] > d) {
                    squared[at] = squared[at - 1];
                    indices[at] = indices[at - 1];
                    at--;
                }
                squared[at] = d;
                indices[at] = r;
            }
        }
        double[] distances = new double[k];
        for (int i = 0; i < k; i++) {
            distances[i] = Math.sqrt(squared[i]);
        }
        return new Found(indices, distances);
    }

    /** Squared distance, abandoned (returned early, above {@code bound}) once it exceeds {@code bound}. */
    private static double squaredDistance(double[] a, double[] b, double bound) {
        double sum = 0;
        for (int f = 0; f < a.length; f++) {
            double d = a[f] - b[f];
            sum += d * d;
            if (sum > bound) {
                return sum;
            }
        }
        return sum;
    }
}
