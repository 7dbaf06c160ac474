package io.recon.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The three anomaly scores of one event, each in nats (higher = more anomalous).
 *
 * @param reconstructionError mean squared error of the decoder mean at z = E[q(z|x)], over the
 *                            standardised inputs
 * @param negativeElbo        -ELBO: expected Gaussian negative log-likelihood over K samples of
 *                            q(z|x) plus KL(q(z|x) || N(0, I)); NaN, and left out of JSON, when
 *                            {@code bound}
 * @param iwae                negative importance-weighted bound with K samples, a tighter estimate
 *                            of -log p(x); when {@code bound}, an upper bound of it instead
 * @param bound               the event was settled by two-stage scoring's first stage: {@code iwae}
 *                            is -log w_1 + log K (never below the K-sample value), far enough below
 *                            the threshold that the event cannot alert; written to JSON only when true
 */
public record EventScores(double reconstructionError,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = EventScores.NotComputed.class)
        double negativeElbo,
        double iwae, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean bound) {

    /** Scores computed in full. */
    public EventScores(double reconstructionError, double negativeElbo, double iwae) {
        this(reconstructionError, negativeElbo, iwae, false);
    }

    /** Score by the manifest name: {@code reconstruction_error}, {@code negative_elbo}, {@code iwae}. */
    public double byName(String name) {
        return switch (name) {
            case "reconstruction_error" -> reconstructionError;
            case "negative_elbo" -> negativeElbo;
            case "iwae" -> iwae;
            default -> throw new IllegalArgumentException("unknown score '" + name
                    + "' (expected reconstruction_error, negative_elbo or iwae)");
        };
    }

    /** Jackson's filter that leaves out a score that was not computed (NaN). */
    static final class NotComputed {
        @Override
        public boolean equals(Object value) {
            return value instanceof Double d && d.isNaN();
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
