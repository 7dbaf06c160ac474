package io.recon.explainer;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One feature of an explanation: what the event had, what the model expected from the event's
 * other features, and how much it made the event anomalous.
 *
 * @param feature        feature name
 * @param observed       the value the event sent (a number or a category)
 * @param expected       the value the other features predict: a number in original units (the
 *                       predicted mean) or the likeliest category
 * @param expectedRange  for numbers, the range the prediction holds about 95% of normal values in
 *                       (mean +- 2 predicted standard deviations, in original units, kept inside
 *                       the training range); null for categories
 * @param expectedShare  for categories, the predicted probability of {@code expected}; null for numbers
 * @param surprise       how badly the other features predict the observed value: the negative
 *                       log-likelihood of the feature's masked prediction, nats
 * @param normalSurprise the feature's median surprise over held-out normal events, nats
 * @param vaeShare       the feature's share of the scoring VAE's reconstruction term (0..1), or null
 *                       where the explainer runs without that VAE
 * @param contribution   the ranking score: with the VAE, how far its alert score falls when this
 *                       feature alone is set to the VAE's reconstruction of it, nats
 *                       ({@link AlertExplainer#METHOD}); without it, the surprise in nats
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureCause(String feature, Object observed, Object expected, List<Double> expectedRange,
        Double expectedShare, double surprise, double normalSurprise, Double vaeShare, double contribution) {
}
