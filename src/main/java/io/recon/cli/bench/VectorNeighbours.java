package io.recon.cli.bench;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recon.nn.BatchInput;

/**
 * The k-nearest-neighbour distance among vectors of one length: a vector's Euclidean distance to its
 * k-th nearest reference vector. The benchmark uses it on raw pixels (the baseline an image VAE has
 * to beat) and on the VAE encoder's feature maps. Distances come from batched matrix products in
 * libtorch (|q|^2 + |r|^2 - 2 q.r): the benchmark's 13,000 queries against 5,000 training images of
 * 784 pixels are 5e10 multiply-adds, about a second there and most of a minute in plain Java loops
 * (four times that for the encoder's 3,136 features).
 */
final class VectorNeighbours implements AutoCloseable {

    /** Queries per matrix product: 500 x 5,000 distances are 10 MB of floats. */
    private static final int QUERY_BATCH = 500;

    private final NDManager manager;
    private final NDArray reference;
    private final NDArray referenceSquares;
    private final int width;
    private final int k;

    /**
     * @param parent    manager whose device and lifetime the reference images take (a sub-manager is used)
     * @param reference the reference vectors (training images or their features), each the same length
     * @param k         the neighbour whose distance is the score, below the number of references
     */
    VectorNeighbours(NDManager parent, List<float[]> reference, int k) {
        if (k < 1 || k >= reference.size()) {
            throw new IllegalArgumentException("k must be 1.." + (reference.size() - 1) + ", got " + k);
        }
        this.width = reference.get(0).length;
        this.k = k;
        this.manager = parent.newSubManager();
        this.reference = manager.create(BatchInput.flatten(reference, width, "vector", width + " values"),
                new Shape(reference.size(), width));
        this.referenceSquares = this.reference.square().sum(new int[] {1}).reshape(1, reference.size());
    }

    /** Each vector's distance to its k-th nearest reference (a vector in the reference set finds itself at 0). */
    double[] kDistances(List<float[]> vectors) {
        return kthDistances(vectors, k);
    }

    /**
     * For vectors that are themselves references: each one's distance to its k-th nearest other
     * reference (itself, at 0, not counted), as a new vector would be scored against all of them.
     */
    double[] leaveOneOutDistances(List<float[]> members) {
        return kthDistances(members, k + 1);
    }

    private double[] kthDistances(List<float[]> vectors, int kth) {
        double[] out = new double[vectors.size()];
        for (int start = 0; start < vectors.size(); start += QUERY_BATCH) {
            List<float[]> chunk = vectors.subList(start, Math.min(vectors.size(), start + QUERY_BATCH));
            try (NDManager scope = manager.newSubManager()) {
                NDArray q = scope.create(BatchInput.flatten(chunk, width, "vector", width + " values"),
                        new Shape(chunk.size(), width));
                NDArray squared = q.square().sum(new int[] {1}, true).add(referenceSquares)
                        .sub(q.matMul(reference.transpose()).mul(2));
                // Rounding can leave a tiny negative where a vector meets itself.
                float[] distances = squared.sort(1).get(":, " + (kth - 1)).maximum(0f).sqrt().toFloatArray();
                for (int i = 0; i < distances.length; i++) {
                    out[start + i] = distances[i];
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
