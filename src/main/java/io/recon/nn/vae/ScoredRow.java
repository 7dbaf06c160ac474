package io.recon.nn.vae;

import io.recon.event.EventScores;

/**
 * Scores of one input row plus what explains them.
 *
 * @param scores        the three anomaly scores
 * @param columnErrors  per model input: 0.5 * (x - mean)^2 / variance at z = E[q(z|x)], the
 *                      share of the reconstruction term each input is responsible for
 * @param reconstructed per model input: the decoder mean at z = E[q(z|x)] (standardised units)
 */
public record ScoredRow(EventScores scores, float[] columnErrors, float[] reconstructed) {
}
