package io.recon.cli.bench;

import java.util.ArrayList;
import java.util.List;

import io.recon.data.FeatureRows;

/** Small conversions the synthetic-image evaluation shares between its parts. */
final class SyntheticImageData {

    private SyntheticImageData() {
    }

    /** Vectors as numeric feature rows named z0, z1, ..., for the row-based fidelity measures. */
    static FeatureRows rows(List<float[]> vectors) {
        int width = vectors.get(0).length;
        List<String> names = new ArrayList<>(width);
        boolean[] numeric = new boolean[width];
        for (int j = 0; j < width; j++) {
            names.add("z" + j);
            numeric[j] = true;
        }
        List<String[]> cells = new ArrayList<>(vectors.size());
        for (float[] v : vectors) {
            String[] row = new String[width];
            for (int j = 0; j < width; j++) {
                row[j] = Float.toString(v[j]);
            }
            cells.add(row);
        }
        return new FeatureRows(names, numeric, cells);
    }

    /** {@code a} followed by {@code b}. */
    static List<float[]> concat(List<float[]> a, List<float[]> b) {
        List<float[]> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /** Rounded to three decimals, for reports. */
    static double round3(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
