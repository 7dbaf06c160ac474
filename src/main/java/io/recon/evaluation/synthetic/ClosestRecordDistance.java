package io.recon.evaluation.synthetic;

import java.util.Arrays;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import io.recon.data.FeatureRows;

/**
 * Whether a generator copies its training rows: the distance from each synthetic row to the
 * closest training row (DCR), against the same distance for real rows the generator never saw. A
 * generator that generalises puts its rows about as far from the training rows as new real rows
 * are (a ratio near 1); one that memorises puts them on top (a ratio near 0, exact copies).
 *
 * @param syntheticMedian  median DCR of the synthetic rows
 * @param holdoutMedian    median DCR of real held-out rows
 * @param ratio            syntheticMedian / holdoutMedian
 * @param exactCopyShare   share of synthetic rows identical to a training row (in the row space)
 * @param holdoutCopyShare the same share among the real held-out rows (real flows repeat too)
 */
public record ClosestRecordDistance(double syntheticMedian, double holdoutMedian, double ratio,
        double exactCopyShare, double holdoutCopyShare) {

    /**
     * @param space    fitted on {@code training}
     * @param training the rows the generator learnt from
     * @param holdout  real rows it never saw
     * @param synthetic its rows
     */
    public static ClosestRecordDistance of(RowSpace space, FeatureRows training, FeatureRows holdout,
            FeatureRows synthetic) {
        double[][] train = space.embed(training);
        double[] s = closest(space.embed(synthetic), train);
        double[] h = closest(space.embed(holdout), train);
        double sm = new Median().evaluate(s);
        double hm = new Median().evaluate(h);
        return new ClosestRecordDistance(sm, hm, hm == 0 ? (sm == 0 ? 1 : Double.POSITIVE_INFINITY) : sm / hm,
                zeroShare(s), zeroShare(h));
    }

    private static double[] closest(double[][] rows, double[][] train) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] t : train) {
                best = Math.min(best, RowSpace.squaredDistance(rows[i], t));
            }
            out[i] = Math.sqrt(best);
        }
        return out;
    }

    private static double zeroShare(double[] distances) {
        return Arrays.stream(distances).filter(d -> d < 1e-12).count() / (double) distances.length;
    }
}
