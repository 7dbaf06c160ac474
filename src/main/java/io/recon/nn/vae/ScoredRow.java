package io.recon.nn.vae;

import io.recon.event.EventScores;

/**
 * Scores of one input row plus what explains them.
 *
 * @param scores        the three anomaly scores
 * @param columnErrors  per model input: 0.5 * (x - mean)^2 / variance at z = E[q(z|x)], the
 *                      share of the reconstruction term each input is responsible for
 * @param reconstructed per model input: the decoder mean at z = E[q(z|x)] (standardised units)
 * @param bounded       true when the row was settled by the first stage of {@link
 *                      VaeScorer#scoreTwoStage}: {@code scores.iwae()} is then the upper bound
 *                      -log w_1 + log K of the negative IWAE bound, and {@code scores.negativeElbo()}
 *                      was not computed (NaN); the reconstruction error and its explanation are exact
 */
public record ScoredRow(EventScores scores, float[] columnErrors, float[] reconstructed, boolean bounded) {

    /** A row scored in full. */
    public ScoredRow(EventScores scores, float[] columnErrors, float[] reconstructed) {
        this(scores, columnErrors, reconstructed, false);
    }
}
