package io.recon.evaluation.synthetic;

import io.recon.data.FeatureRows;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.recon.feature.SortedCounts;

/**
 * Puts rows in one space where distances mean the same for every column, fitted on reference rows
 * (the real training rows): a number becomes its position among the reference values (0 below all
 * of them, 1 above, ties at their middle), so a heavy-tailed byte counter weighs no more than a
 * port; a category becomes a one-hot block scaled so that two different categories lie 1 apart.
 * Categories the reference rows lack share one extra slot.
 */
public final class RowSpace {

    private static final double CATEGORY_SCALE = Math.sqrt(0.5);

    private final FeatureRows reference;
    private final double[][] sortedNumbers;
    private final List<Map<String, Integer>> categorySlots;
    private final int[] offsets;
    private final int dimensions;

    /** Fitted on {@code reference}. */
    public RowSpace(FeatureRows reference) {
        if (reference.size() == 0) {
            throw new IllegalArgumentException("no reference rows to fit on");
        }
        this.reference = reference;
        this.sortedNumbers = new double[reference.width()][];
        this.categorySlots = new java.util.ArrayList<>();
        this.offsets = new int[reference.width()];
        int next = 0;
        for (int c = 0; c < reference.width(); c++) {
            offsets[c] = next;
            if (reference.numeric()[c]) {
                sortedNumbers[c] = reference.numbers(c);
                Arrays.sort(sortedNumbers[c]);
                categorySlots.add(null);
                next += 1;
            } else {
                Map<String, Integer> slots = new HashMap<>();
                for (String cell : reference.cells(c)) {
                    slots.putIfAbsent(cell, slots.size());
                }
                categorySlots.add(slots);
                next += slots.size() + 1; // the last slot: any category the reference lacks
            }
        }
        this.dimensions = next;
    }

    /** Length of every embedded row. */
    public int dimensions() {
        return dimensions;
    }

    /** Every row of {@code rows}, embedded. */
    public double[][] embed(FeatureRows rows) {
        if (!rows.names().equals(reference.names())) {
            throw new IllegalArgumentException("columns " + rows.names() + " differ from the reference's "
                    + reference.names());
        }
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = embed(rows.rows().get(r), rows);
        }
        return out;
    }

    private double[] embed(String[] row, FeatureRows rows) {
        double[] v = new double[dimensions];
        for (int c = 0; c < row.length; c++) {
            if (sortedNumbers[c] != null) {
                v[offsets[c]] = position(sortedNumbers[c], rows.number(row[c], c));
            } else {
                Map<String, Integer> slots = categorySlots.get(c);
                v[offsets[c] + slots.getOrDefault(row[c], slots.size())] = CATEGORY_SCALE;
            }
        }
        return v;
    }

    /** (values below x + half the values equal to x) / all values. */
    static double position(double[] sorted, double x) {
        int below = SortedCounts.below(sorted, x);
        int notAbove = SortedCounts.atMost(sorted, x);
        return (below + (notAbove - below) / 2.0) / sorted.length;
    }

    /**
     * The indexes of the {@code k} points nearest to {@code query}, nearest first (ties to the lower
     * index), leaving out index {@code skip} (the query itself, or -1).
     */
    public static int[] nearest(double[] query, double[][] points, int k, int skip) {
        int[] which = new int[k];
        double[] distance = new double[k];
        java.util.Arrays.fill(distance, Double.POSITIVE_INFINITY);
        for (int j = 0; j < points.length; j++) {
            if (j == skip) {
                continue;
            }
            double d = squaredDistance(query, points[j]);
            if (d < distance[k - 1]) {
                int n = k - 1;
                while (n > 0 && distance[n - 1] > d) {
                    distance[n] = distance[n - 1];
                    which[n] = which[n - 1];
                    n--;
                }
                distance[n] = d;
                which[n] = j;
            }
        }
        return which;
    }

    /** Squared Euclidean distance. */
    public static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
