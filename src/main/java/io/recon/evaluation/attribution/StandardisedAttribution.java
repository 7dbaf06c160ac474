package io.recon.evaluation.attribution;

import java.util.List;

import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * An attribution measured against what it is for the same feature in normal rows: its robust
 * z-score, (value - median) / (1.4826 x median absolute deviation), both per feature over normal
 * rows. In a row the corruption left nearly normal every raw attribution is small, and the features
 * whose attribution is always large (the ones the model always gets a little wrong) come first; in
 * units of each feature's own spread, the one feature that moved stands out.
 */
public final class StandardisedAttribution implements FeatureAttribution {

    /**
     * The smallest spread a feature is given, in the attribution's units: a feature whose attribution
     * is the same in every normal row would otherwise turn any rounding-sized change into a huge score.
     */
    private final double minimumSpread;
    private final FeatureAttribution raw;
    private final double[] medians;
    private final double[] spreads;

    private StandardisedAttribution(FeatureAttribution raw, double[] medians, double[] spreads, double minimumSpread) {
        this.raw = raw;
        this.medians = medians;
        this.spreads = spreads;
        this.minimumSpread = minimumSpread;
    }

    /**
     * @param raw           the attribution to standardise
     * @param normalRows    encoded normal rows (training rows, never the rows being explained)
     * @param minimumSpread the smallest spread a feature is given (&gt; 0)
     */
    public static StandardisedAttribution fit(FeatureAttribution raw, List<float[]> normalRows, double minimumSpread) {
        if (!(minimumSpread > 0)) {
            throw new IllegalArgumentException("the minimum spread must be above 0, not " + minimumSpread);
        }
        if (normalRows.isEmpty()) {
            throw new IllegalArgumentException("no normal rows to fit on");
        }
        double[][] normal = raw.attribute(normalRows);
        int features = normal[0].length;
        double[] medians = new double[features];
        double[] spreads = new double[features];
        double[] column = new double[normal.length];
        for (int f = 0; f < features; f++) {
            for (int r = 0; r < normal.length; r++) {
                column[r] = normal[r][f];
            }
            medians[f] = new Median().evaluate(column);
            for (int r = 0; r < normal.length; r++) {
                column[r] = Math.abs(normal[r][f] - medians[f]);
            }
            spreads[f] = 1.4826 * new Median().evaluate(column);
        }
        return new StandardisedAttribution(raw, medians, spreads, minimumSpread);
    }

    @Override
    public double[][] attribute(List<float[]> rows) {
        double[][] values = raw.attribute(rows);
        for (double[] row : values) {
            if (row.length != medians.length) {
                throw new IllegalArgumentException("a row has " + row.length + " attributions, the fit had "
                        + medians.length);
            }
            for (int f = 0; f < row.length; f++) {
                row[f] = (row[f] - medians[f]) / Math.max(minimumSpread, spreads[f]);
            }
        }
        return values;
    }

    /** Per feature, the median attribution in the normal rows it was fitted on. */
    public double[] medians() {
        return medians.clone();
    }

    /** Per feature, the spread (1.4826 x the median absolute deviation) before the minimum is applied. */
    public double[] spreads() {
        return spreads.clone();
    }
}
