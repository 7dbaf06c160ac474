package io.recon.event;

/**
 * How much one feature made an event look anomalous.
 *
 * @param feature  feature name
 * @param observed the value in the event (a number or a category)
 * @param expected what the model reconstructed for this event: the typical value given the
 *                 rest of the event (a number in original units, or the most likely category)
 * @param nats     this feature's term of the reconstruction negative log-likelihood
 * @param share    fraction of the event's total reconstruction term (0..1)
 * @param deviation for numeric features, how far the observed value lies from the expected one in
 *                 the model's standard deviations for that feature, signed (positive: above); null
 *                 for categories. Needed because {@code expected} is shown in original units kept
 *                 inside the training range, which can hide the gap (a count the model expects
 *                 "below zero" reads as "expected 0")
 */
public record Contribution(String feature, Object observed, Object expected, double nats, double share,
        Double deviation) {
}
