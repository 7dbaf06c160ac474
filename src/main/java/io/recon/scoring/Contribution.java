package io.recon.scoring;

/**
 * How much one feature made an event look anomalous.
 *
 * @param feature  feature name
 * @param observed the value in the event (a number or a category)
 * @param expected what the model reconstructed for this event: the typical value given the
 *                 rest of the event (a number in original units, or the most likely category)
 * @param nats     this feature's term of the reconstruction negative log-likelihood
 * @param share    fraction of the event's total reconstruction term (0..1)
 */
public record Contribution(String feature, Object observed, Object expected, double nats, double share) {
}
