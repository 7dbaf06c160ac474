package io.recon.cli.bench;

import java.util.List;

/** The small vector arithmetic the one-class image scores share: float rows to doubles, and standardising. */
final class Vectors {

    private Vectors() {
    }

    /** A row in doubles. */
    static double[] toDoubles(float[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = row[j];
        }
        return out;
    }

    /** Rows in doubles. */
    static double[][] toDoubles(List<float[]> rows) {
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = toDoubles(rows.get(r));
        }
        return out;
    }

    /** {mean, sample SD} of the values, the SD at least 1e-12 so that dividing by it is safe. */
    static double[] meanAndSd(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean) / Math.max(1, values.length - 1);
        }
        return new double[] {mean, Math.max(1e-12, Math.sqrt(var))};
    }

    /** (value - mean) / SD, with {@code meanAndSd} from {@link #meanAndSd}. */
    static double standardised(double value, double[] meanAndSd) {
        return (value - meanAndSd[0]) / meanAndSd[1];
    }
}
