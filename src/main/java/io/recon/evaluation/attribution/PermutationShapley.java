package io.recon.evaluation.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.recon.feature.FeatureEncoder;

/**
 * Shapley values of a row's features for a {@link CoalitionValue}, estimated from random permutations
 * (sampled Shapley). The players are the features; a coalition S is the row with every feature outside
 * S replaced by a background row's value (all of a feature's model inputs at once, so a category is
 * swapped whole). Each permutation adds the features one at a time to a background and credits each
 * with the change in value it caused; a feature's estimate is its mean credit over the permutations.
 *
 * <p>With one background row this is the Shapley value of the game against that fixed baseline. With
 * several, permutation m starts from background m modulo their number, so the estimate is that of the
 * game averaged over the backgrounds (each background used as evenly as the permutations allow). Per
 * permutation the credits sum to value(row) - value(its background), so the estimates sum to
 * value(row) minus the mean of value(background) over the permutations (efficiency), whatever their
 * number.
 *
 * <p>Cost per row: {@code permutations * (features - 1) + 1} values, asked for in one list so that the
 * value function can batch them (the backgrounds' own values once per call). Permutations come from
 * one seeded generator, so a run is repeatable for the same rows in the same order.
 */
public final class PermutationShapley implements FeatureAttribution {

    private final CoalitionValue value;
    private final FeatureEncoder encoder;
    private final List<float[]> backgrounds;
    private final int permutations;
    private final long seed;

    /**
     * Against one fixed background row.
     *
     * @param value        the game's value of a row
     * @param encoder      the encoding of the rows (which model inputs belong to which feature)
     * @param background   the values of features outside a coalition, of the encoder's width
     * @param permutations permutations per row (at least one)
     * @param seed         seed of the permutations
     */
    public PermutationShapley(CoalitionValue value, FeatureEncoder encoder, float[] background, int permutations,
            long seed) {
        this(value, encoder, List.of(background), permutations, seed);
    }

    /**
     * Against several background rows, permutation m starting from background m modulo their number.
     *
     * @param backgrounds at least one, each of the encoder's width
     */
    public PermutationShapley(CoalitionValue value, FeatureEncoder encoder, List<float[]> backgrounds,
            int permutations, long seed) {
        if (permutations < 1) {
            throw new IllegalArgumentException("sampled Shapley needs at least one permutation, got " + permutations);
        }
        if (backgrounds.isEmpty()) {
            throw new IllegalArgumentException("sampled Shapley needs at least one background row");
        }
        List<float[]> copies = new ArrayList<>();
        for (float[] b : backgrounds) {
            if (b.length != encoder.width()) {
                throw new IllegalArgumentException("a background row has " + b.length + " values, the encoding "
                        + encoder.width());
            }
            copies.add(b.clone());
        }
        this.value = value;
        this.encoder = encoder;
        this.backgrounds = List.copyOf(copies);
        this.permutations = permutations;
        this.seed = seed;
    }

    @Override
    public double[][] attribute(List<float[]> rows) {
        Random random = new Random(seed);
        double[] none = rows.isEmpty() ? new double[0] : value.of(backgrounds);
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            out[r] = attributeRow(rows.get(r), random, none);
        }
        return out;
    }

    /** @param none the value of each background row (the empty coalition) */
    private double[] attributeRow(float[] row, Random random, double[] none) {
        if (row.length != encoder.width()) {
            throw new IllegalArgumentException("a row has " + row.length + " values, the encoding " + encoder.width());
        }
        int features = encoder.specs().size();
        int[][] orders = new int[permutations][];
        List<float[]> coalitions = new ArrayList<>(1 + permutations * (features - 1));
        coalitions.add(row);
        for (int m = 0; m < permutations; m++) {
            orders[m] = permutation(features, random);
            float[] x = backgrounds.get(m % backgrounds.size()).clone();
            // Coalitions of 1 .. features-1 players; the empty and the full one are shared.
            for (int k = 0; k < features - 1; k++) {
                copyFeature(row, x, orders[m][k]);
                coalitions.add(x.clone());
            }
        }
        double[] v = value.of(coalitions);
        double all = v[0];
        double[] phi = new double[features];
        for (int m = 0; m < permutations; m++) {
            double before = none[m % backgrounds.size()];
            for (int k = 0; k < features; k++) {
                double after = k == features - 1 ? all : v[1 + m * (features - 1) + k];
                phi[orders[m][k]] += after - before;
                before = after;
            }
        }
        for (int f = 0; f < features; f++) {
            phi[f] /= permutations;
        }
        return phi;
    }

    private void copyFeature(float[] from, float[] to, int feature) {
        int at = encoder.offset(feature);
        System.arraycopy(from, at, to, at, encoder.specs().get(feature).width());
    }

    /** A uniformly random order of 0 .. n-1 (Fisher-Yates). */
    private static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
