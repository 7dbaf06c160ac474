package io.recon.cli.bench;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recon.nn.BatchInput;

/**
 * The raw-pixel k-nearest-neighbour distance, the baseline an image VAE has to beat: an image's
 * Euclidean distance to its k-th nearest training image. Distances come from batched matrix
 * products in libtorch (|q|^2 + |r|^2 - 2 q.r): the benchmark's 13,000 queries against 5,000
 * training images of 784 pixels are 5e10 multiply-adds, about a second there and most of a minute
 * in plain Java loops.
 */
final class PixelNeighbours implements AutoCloseable {

    /** Queries per matrix product: 500 x 5,000 distances are 10 MB of floats. */
    private static final int QUERY_BATCH = 500;

    private final NDManager manager;
    private final NDArray reference;
    private final NDArray referenceSquares;
    private final int pixels;
    private final int k;

    /**
     * @param parent    manager whose device and lifetime the reference images take (a sub-manager is used)
     * @param reference the training images, each the same number of pixels
     * @param k         the neighbour whose distance is the score, at most the number of images
     */
    PixelNeighbours(NDManager parent, List<float[]> reference, int k) {
        if (k < 1 || k > reference.size()) {
            throw new IllegalArgumentException("k must be 1.." + reference.size() + ", got " + k);
        }
        this.pixels = reference.get(0).length;
        this.k = k;
        this.manager = parent.newSubManager();
        this.reference = manager.create(BatchInput.flatten(reference, pixels, "image", pixels + " pixels"),
                new Shape(reference.size(), pixels));
        this.referenceSquares = this.reference.square().sum(new int[] {1}).reshape(1, reference.size());
    }

    /** Each image's distance to its k-th nearest reference image (an image in the reference set finds itself at 0). */
    double[] kDistances(List<float[]> images) {
        double[] out = new double[images.size()];
        for (int start = 0; start < images.size(); start += QUERY_BATCH) {
            List<float[]> chunk = images.subList(start, Math.min(images.size(), start + QUERY_BATCH));
            try (NDManager scope = manager.newSubManager()) {
                NDArray q = scope.create(BatchInput.flatten(chunk, pixels, "image", pixels + " pixels"),
                        new Shape(chunk.size(), pixels));
                NDArray squared = q.square().sum(new int[] {1}, true).add(referenceSquares)
                        .sub(q.matMul(reference.transpose()).mul(2));
                // Rounding can leave a tiny negative where an image meets itself.
                float[] kth = squared.sort(1).get(":, " + (k - 1)).maximum(0f).sqrt().toFloatArray();
                for (int i = 0; i < kth.length; i++) {
                    out[start + i] = kth[i];
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
