package io.recon.nn.explainer;

import io.recon.nn.vae.ImageAlertScores;

/**
 * The image explainer's map: the VAE's residual (image minus reconstruction) divided, pixel by
 * pixel, by the spread the masked-patch transformer predicts for that pixel from the surrounding
 * patches, then smoothed like the VAE's own heatmap ({@link ImageAlertScores#smoothedResidual}). A
 * residual where the surroundings pin a pixel down (flat tissue) counts for more than the same
 * residual where they cannot (a bone edge), which is where a VAE's blur always leaves errors.
 * Chosen on a validation split of {@code ct-explain-benchmark} (README: image explanations).
 */
public final class SpreadScaledResidual {

    private SpreadScaledResidual() {
    }

    /** The map of one square image. */
    public static float[] of(float[] image, float[] reconstruction, float[] spread) {
        if (reconstruction.length != image.length || spread.length != image.length) {
            throw new IllegalArgumentException("image, reconstruction and spread differ in size: " + image.length
                    + ", " + reconstruction.length + ", " + spread.length);
        }
        float[] z = new float[image.length];
        for (int p = 0; p < z.length; p++) {
            z[p] = (image[p] - reconstruction[p]) / spread[p];
        }
        return ImageAlertScores.smoothedResidual(z, new float[z.length]);
    }
}
