package io.recon.baseline;

import java.util.SplittableRandom;

/**
 * Isolation Forest (Liu, Ting &amp; Zhou, 2008). Anomalies are few and different, so random
 * axis-parallel splits isolate them in fewer steps than normal points; the score
 * {@code s = 2^(-E[h(x)] / c(psi))} is close to 1 for anomalies and well below 0.5 for inliers.
 *
 * <p>Each tree is grown on a subsample of {@code psi = min(sampleSize, rows)} rows drawn without
 * replacement, up to height {@code ceil(log2(psi))}. Nodes of all trees live in flat arrays
 * (no per-node objects), which keeps fitting and scoring cache-friendly. Results are fully
 * determined by the seed.
 */
public final class IsolationForest implements AnomalyBaseline {

    private static final double EULER_GAMMA = 0.5772156649015329;
    private static final int LEAF = -1;

    private final int trees;
    private final int sampleSize;
    private final long seed;

    // Flat node storage for every tree: a node is internal when feature[node] != LEAF; its children
    // are left[node] and left[node] + 1. For leaves, pathValue holds depth + c(leaf size).
    private int[] feature;
    private double[] split;
    private int[] left;
    private double[] pathValue;
    private int[] roots;
    private int features;
    private double normaliser;

    /** Creates a forest with the paper's defaults: 200 trees, 256 samples per tree, seed 42. */
    public IsolationForest() {
        this(200, 256, 42L);
    }

    /**
     * Creates a forest.
     *
     * @param trees      number of trees, at least 1
     * @param sampleSize rows sampled per tree, at least 2 (capped at the training set size)
     * @param seed       random seed; equal seeds give equal forests on equal data
     */
    public IsolationForest(int trees, int sampleSize, long seed) {
        if (trees < 1) {
            throw new IllegalArgumentException("trees must be >= 1, got " + trees);
        }
        if (sampleSize < 2) {
            throw new IllegalArgumentException("sampleSize must be >= 2, got " + sampleSize);
        }
        this.trees = trees;
        this.sampleSize = sampleSize;
        this.seed = seed;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "isolation-forest";
    }

    /**
     * Grows the forest on the given rows.
     *
     * @param normalRows rows × features; at least 2 rows, rectangular, finite
     */
    @Override
    public void fit(double[][] normalRows) {
        int featureCount = RobustZScore.requireRectangularFinite(normalRows);
        if (normalRows.length < 2) {
            throw new IllegalArgumentException("isolation forest needs at least 2 rows");
        }
        int psi = Math.min(sampleSize, normalRows.length);
        int heightLimit = (int) Math.ceil(Math.log(psi) / Math.log(2));
        int maxNodesPerTree = 2 * psi - 1;
        Builder builder = new Builder(normalRows, featureCount, psi, heightLimit, trees * maxNodesPerTree);
        SplittableRandom random = new SplittableRandom(seed);
        int[] newRoots = new int[trees];
        for (int t = 0; t < trees; t++) {
            newRoots[t] = builder.growTree(random);
        }
        feature = builder.feature;
        split = builder.split;
        left = builder.left;
        pathValue = builder.pathValue;
        roots = newRoots;
        features = featureCount;
        normaliser = averagePathLength(psi);
    }

    /**
     * Anomaly score {@code 2^(-E[h(x)] / c(psi))} in (0, 1]; higher = more anomalous.
     *
     * @param row feature vector with the fitted feature count
     * @return the score
     */
    @Override
    public double score(double[] row) {
        if (roots == null) {
            throw new IllegalStateException("IsolationForest is not fitted");
        }
        if (row.length != features) {
            throw new IllegalArgumentException("expected " + features + " features, got " + row.length);
        }
        double total = 0;
        for (int root : roots) {
            int node = root;
            while (feature[node] != LEAF) {
                node = row[feature[node]] < split[node] ? left[node] : left[node] + 1;
            }
            total += pathValue[node];
        }
        return Math.pow(2.0, -(total / roots.length) / normaliser);
    }

    /**
     * {@code c(n)}: the average path length of an unsuccessful search in a binary search tree of
     * {@code n} points, used both to normalise scores and to credit leaves that still hold several
     * points. Uses {@code H(i) ~ ln(i) + Euler's constant}, as the paper and scikit-learn do.
     *
     * @param n number of points
     * @return 0 for n &lt;= 1, 1 for n = 2, otherwise {@code 2 H(n-1) - 2 (n-1) / n}
     */
    public static double averagePathLength(long n) {
        if (n <= 1) {
            return 0.0;
        }
        if (n == 2) {
            return 1.0;
        }
        return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n;
    }

    /** Grows trees into shared flat arrays. */
    private static final class Builder {
        final int[] feature;
        final double[] split;
        final int[] left;
        final double[] pathValue;
        private final double[][] data;
        private final int featureCount;
        private final int psi;
        private final int heightLimit;
        private final int[] pool;        // all row indices, partially shuffled to draw subsamples
        private final int[] sample;      // current tree's rows, partitioned in place while growing
        private final int[] featureOrder;
        private int nextNode;
        private SplittableRandom random;

        Builder(double[][] data, int featureCount, int psi, int heightLimit, int capacity) {
            this.data = data;
            this.featureCount = featureCount;
            this.psi = psi;
            this.heightLimit = heightLimit;
            this.feature = new int[capacity];
            this.split = new double[capacity];
            this.left = new int[capacity];
            this.pathValue = new double[capacity];
            this.pool = new int[data.length];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = i;
            }
            this.sample = new int[psi];
            this.featureOrder = new int[featureCount];
            for (int f = 0; f < featureCount; f++) {
                featureOrder[f] = f;
            }
        }

        int growTree(SplittableRandom random) {
            this.random = random;
            // Partial Fisher-Yates: the first psi entries become a uniform sample without replacement.
            for (int i = 0; i < psi; i++) {
                int j = i + random.nextInt(pool.length - i);
                int tmp = pool[i];
                pool[i] = pool[j];
                pool[j] = tmp;
                sample[i] = pool[i];
            }
            int root = nextNode++;
            grow(root, 0, psi, 0);
            return root;
        }

        private void grow(int node, int from, int to, int depth) {
            int size = to - from;
            if (size <= 1 || depth >= heightLimit || !chooseSplit(node, from, to)) {
                feature[node] = LEAF;
                pathValue[node] = depth + averagePathLength(size);
                return;
            }
            int f = feature[node];
            double threshold = split[node];
            int mid = from;
            for (int i = from; i < to; i++) {
                if (data[sample[i]][f] < threshold) {
                    int tmp = sample[mid];
                    sample[mid++] = sample[i];
                    sample[i] = tmp;
                }
            }
            int children = nextNode;
            nextNode += 2;
            left[node] = children;
            grow(children, from, mid, depth + 1);
            grow(children + 1, mid, to, depth + 1);
        }

        /**
         * Picks a random feature that is not constant in the node (trying features in random order,
         * so a constant column cannot stop a splittable node) and a uniform split in [min, max).
         * Returns false when every feature is constant, which makes the node a leaf.
         */
        private boolean chooseSplit(int node, int from, int to) {
            for (int tried = 0; tried < featureCount; tried++) {
                int pick = tried + random.nextInt(featureCount - tried);
                int f = featureOrder[pick];
                featureOrder[pick] = featureOrder[tried];
                featureOrder[tried] = f;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    double v = data[sample[i]][f];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                if (min < max) {
                    double threshold = min + random.nextDouble() * (max - min);
                    // Rows go left when value < threshold; keep both sides non-empty despite rounding.
                    feature[node] = f;
                    split[node] = threshold > min ? threshold : max;
                    return true;
                }
            }
            return false;
        }
    }
}
