package io.recon.scoring;

import java.util.List;

/**
 * The scores an image bundle may declare as its alert score: the three VAE scores and the same
 * minus the image's own Bernoulli entropy ({@code *_excess}). On grey pixels the Bernoulli
 * -log p(x|z) never drops below H(x), a term fixed by the image alone, so the raw scores partly
 * rank images by how many mid-grey pixels they have; the excess removes that.
 */
public final class ImageAlertScores {

    /** The raw VAE scores, by manifest name. */
    public static final List<String> RAW = List.of("reconstruction_error", "negative_elbo", "iwae");

    /** The entropy-corrected scores, in the same order as {@link #RAW}. */
    public static final List<String> EXCESS = List.of("reconstruction_excess", "negative_elbo_excess",
            "iwae_excess");

    private ImageAlertScores() {
    }

    /**
     * The score called {@code name} of an image with these VAE scores and pixels (in [0,1]).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static double byName(String name, EventScores scores, float[] pixels) {
        int excess = EXCESS.indexOf(name);
        if (excess < 0) {
            return scores.byName(name);
        }
        double raw = scores.byName(RAW.get(excess));
        // The reconstruction error is per pixel, the bounds per image.
        double scale = excess == 0 ? 1.0 / pixels.length : 1.0;
        return raw - scale * bernoulliEntropy(pixels);
    }

    /** sum_i H(x_i) in nats: the least Bernoulli -log p(x|z) any decoder can reach on this image. */
    public static double bernoulliEntropy(float[] pixels) {
        double h = 0;
        for (float x : pixels) {
            if (x > 0f && x < 1f) {
                h -= x * Math.log(x) + (1 - x) * Math.log1p(-x);
            }
        }
        return h;
    }
}
