package io.recon.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.recon.data.FeatureRows;
import io.recon.evaluation.synthetic.RowSpace;

/**
 * SMOTE-style synthetic rows, the baseline every generator must beat: each new row lies on the
 * line between a real row and one of its k nearest real neighbours (numbers interpolated at a
 * random point, rounded when both ends are whole numbers so that counts stay counts; a category
 * taken from whichever end the point is nearer). Sample one class at a time to keep classes apart.
 */
public final class SmoteSampler {

    /** Neighbours a row may be paired with. */
    public static final int NEIGHBOURS = 5;

    private final FeatureRows real;
    private final int[][] neighbours;

    /** A sampler of rows like {@code real} (at least two rows). */
    public SmoteSampler(FeatureRows real) {
        if (real.size() < 2) {
            throw new IllegalArgumentException("SMOTE needs at least two real rows, not " + real.size());
        }
        this.real = real;
        double[][] points = new RowSpace(real).embed(real);
        int k = Math.min(NEIGHBOURS, real.size() - 1);
        this.neighbours = new int[points.length][];
        for (int i = 0; i < points.length; i++) {
            neighbours[i] = RowSpace.nearest(points[i], points, k, i);
        }
    }

    /** {@code count} new rows; the same seed gives the same rows. */
    public FeatureRows sample(int count, long seed) {
        Random random = new Random(seed);
        List<String[]> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int i = random.nextInt(real.size());
            int j = neighbours[i][random.nextInt(neighbours[i].length)];
            out.add(between(real.rows().get(i), real.rows().get(j), random.nextDouble()));
        }
        return real.with(out);
    }

    private String[] between(String[] a, String[] b, double t) {
        String[] row = new String[a.length];
        for (int c = 0; c < a.length; c++) {
            if (!real.numeric()[c]) {
                row[c] = t < 0.5 ? a[c] : b[c];
                continue;
            }
            double x = real.number(a[c], c);
            double y = real.number(b[c], c);
            double v = x + t * (y - x);
            row[c] = x == Math.rint(x) && y == Math.rint(y) ? Long.toString(Math.round(v)) : Double.toString(v);
        }
        return row;
    }
}
