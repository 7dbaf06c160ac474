package io.recon.evaluation.attribution;

import java.util.List;

/**
 * How well attributions point at known causes: the rank of each row's cause when the features are
 * ordered by attribution (largest first), and over rows the share ranked first (hit@1), among the first
 * three (hit@3) and the mean of 1 / rank (the average precision of a ranking with one relevant item).
 *
 * <p>Ties and values that cannot be ordered count against the cause: a feature whose attribution
 * equals the cause's, or is NaN, is ranked above it, and a NaN cause ranks last. So a method that
 * says nothing (all attributions equal) gets the worst rank, not the best.
 *
 * @param rows         rows judged
 * @param hitAt1       share of rows whose cause ranks first
 * @param hitAt3       share ranked among the first three
 * @param averagePrecision mean of 1 / rank
 */
public record CauseRanking(int rows, double hitAt1, double hitAt3, double averagePrecision) {

    /** The cause's rank, 1 = first, among {@code attribution.length} features. */
    public static int rank(double[] attribution, int cause) {
        double c = attribution[cause];
        if (Double.isNaN(c)) {
            return attribution.length;
        }
        int rank = 1;
        for (int f = 0; f < attribution.length; f++) {
            if (f != cause && !(attribution[f] < c)) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * @param attributions per row, per feature (largest = most likely the cause)
     * @param causes       per row, the planted cause's feature index
     */
    public static CauseRanking of(double[][] attributions, List<Integer> causes) {
        if (attributions.length != causes.size()) {
            throw new IllegalArgumentException(attributions.length + " attributions for " + causes.size() + " causes");
        }
        double hit1 = 0;
        double hit3 = 0;
        double precision = 0;
        for (int r = 0; r < attributions.length; r++) {
            int rank = rank(attributions[r], causes.get(r));
            hit1 += rank == 1 ? 1 : 0;
            hit3 += rank <= 3 ? 1 : 0;
            precision += 1.0 / rank;
        }
        int n = Math.max(1, attributions.length);
        return new CauseRanking(attributions.length, hit1 / n, hit3 / n, precision / n);
    }

    /** Each value replaced by its magnitude, for methods whose sign says which way, not how much. */
    public static double[][] magnitudes(double[][] attributions) {
        double[][] out = new double[attributions.length][];
        for (int r = 0; r < attributions.length; r++) {
            out[r] = new double[attributions[r].length];
            for (int f = 0; f < out[r].length; f++) {
                out[r][f] = Math.abs(attributions[r][f]);
            }
        }
        return out;
    }
}
