package io.recon.baseline;

import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * Per-feature robust z-score: each feature is centred on its median and scaled by its MAD, and a
 * row's score is the mean over features of the squared, clipped z-values. Robust statistics keep a
 * few anomalies that slipped into the "normal" training data from inflating the scale.
 */
public final class RobustZScore implements AnomalyBaseline {

    /** Makes the MAD a consistent estimator of the standard deviation for Gaussian data. */
    static final double MAD_TO_SIGMA = 1.4826;
    /** Same role for the mean absolute deviation: sqrt(pi / 2). */
    static final double MEAN_AD_TO_SIGMA = 1.253314;
    /** Last-resort scale for constant features, so they neither divide by zero nor dominate silently. */
    static final double MIN_SCALE = 1e-6;
    /** Clip for |z|, so one wild feature cannot overflow the score to infinity. */
    static final double MAX_ABS_Z = 1e6;

    private double[] medians;
    private double[] scales;

    /** Creates an unfitted scorer. */
    public RobustZScore() {
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "robust-z";
    }

    /**
     * Computes per-feature medians and robust scales. Scale is {@code 1.4826 * MAD}; when the MAD is
     * zero (more than half the values equal) it falls back to {@code 1.253314 * mean absolute
     * deviation from the median}, and for a constant feature to {@code 1e-6}.
     *
     * @param normalRows rows × features; non-empty, rectangular, finite
     */
    @Override
    public void fit(double[][] normalRows) {
        int features = requireRectangularFinite(normalRows);
        double[] newMedians = new double[features];
        double[] newScales = new double[features];
        double[] column = new double[normalRows.length];
        double[] deviations = new double[normalRows.length];
        for (int f = 0; f < features; f++) {
            for (int r = 0; r < normalRows.length; r++) {
                column[r] = normalRows[r][f];
            }
            double median = new Median().evaluate(column);
            double absDevSum = 0;
            for (int r = 0; r < column.length; r++) {
                deviations[r] = Math.abs(column[r] - median);
                absDevSum += deviations[r];
            }
            double scale = MAD_TO_SIGMA * new Median().evaluate(deviations);
            if (scale == 0) {
                scale = MEAN_AD_TO_SIGMA * absDevSum / column.length;
            }
            newMedians[f] = median;
            newScales[f] = scale > 0 ? scale : MIN_SCALE;
        }
        medians = newMedians;
        scales = newScales;
    }

    /** {@inheritDoc} */
    @Override
    public double score(double[] row) {
        if (medians == null) {
            throw new IllegalStateException("RobustZScore is not fitted");
        }
        if (row.length != medians.length) {
            throw new IllegalArgumentException(
                    "expected " + medians.length + " features, got " + row.length);
        }
        double sum = 0;
        for (int f = 0; f < row.length; f++) {
            double z = (row[f] - medians[f]) / scales[f];
            z = Math.max(-MAX_ABS_Z, Math.min(MAX_ABS_Z, z));
            sum += z * z;
        }
        return sum / row.length;
    }

    /**
     * Fitted per-feature medians (a copy).
     *
     * @return medians, one per feature
     */
    public double[] medians() {
        requireFitted();
        return medians.clone();
    }

    /**
     * Fitted per-feature scales (a copy), after fallbacks and flooring.
     *
     * @return scales, one per feature, all positive
     */
    public double[] scales() {
        requireFitted();
        return scales.clone();
    }

    private void requireFitted() {
        if (medians == null) {
            throw new IllegalStateException("RobustZScore is not fitted");
        }
    }

    /** Returns the feature count after checking rows are non-empty, rectangular and finite. */
    static int requireRectangularFinite(double[][] rows) {
        if (rows == null || rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException("need at least one row with at least one feature");
        }
        int features = rows[0].length;
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != features) {
                throw new IllegalArgumentException(
                        "row " + r + " has " + rows[r].length + " features, expected " + features);
            }
            for (int f = 0; f < features; f++) {
                if (!Double.isFinite(rows[r][f])) {
                    throw new IllegalArgumentException("row " + r + ", feature " + f + " is not finite");
                }
            }
        }
        return features;
    }
}
