package io.recon.event;

/**
 * The three anomaly scores of one event, each in nats (higher = more anomalous).
 *
 * @param reconstructionError mean squared error of the decoder mean at z = E[q(z|x)], over the
 *                            standardised inputs
 * @param negativeElbo        -ELBO: expected Gaussian negative log-likelihood over K samples of
 *                            q(z|x) plus KL(q(z|x) || N(0, I))
 * @param iwae                negative importance-weighted bound with K samples, a tighter estimate
 *                            of -log p(x)
 */
public record EventScores(double reconstructionError, double negativeElbo, double iwae) {

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
}
