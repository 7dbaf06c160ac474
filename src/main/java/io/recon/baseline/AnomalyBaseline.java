package io.recon.baseline;

/**
 * A classical, non-neural anomaly detector over numeric feature vectors, used as a yardstick for
 * the learned models. Implementations are fitted on normal rows only and score higher for rows
 * that look more anomalous.
 */
public interface AnomalyBaseline {

    /**
     * Short stable identifier, used in reports and metric labels.
     *
     * @return the baseline's name
     */
    String name();

    /**
     * Learns what "normal" looks like. Calling it again replaces the previous fit.
     *
     * @param normalRows rows × features, all rows of equal length
     * @throws IllegalArgumentException if the rows are empty, ragged or otherwise unusable
     */
    void fit(double[][] normalRows);

    /**
     * Scores one row; higher = more anomalous.
     *
     * @param row feature vector with as many features as the fitted rows
     * @return the anomaly score
     * @throws IllegalStateException    if called before {@link #fit}
     * @throws IllegalArgumentException if the row length does not match the fitted feature count
     */
    double score(double[] row);

    /**
     * Scores every row.
     *
     * @param rows rows × features
     * @return one score per row, in row order
     */
    default double[] scoreAll(double[][] rows) {
        double[] scores = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            scores[i] = score(rows[i]);
        }
        return scores;
    }
}
