package io.recon.nn.explainer;

import java.util.Arrays;
import java.util.List;

import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * The pixel maps an image explainer can draw from an image VAE and a masked-patch transformer.
 * Which one explains a model's alerts is chosen per model on its validation split (README: "Does
 * the heatmap point at the lesion?"): the spread-scaled residual for CT, where the VAE always misses
 * bone edges that the surroundings cannot pin down either; the geometric mean for garments, whose
 * edges are the signal.
 */
public enum ImageExplanationMap {

    /** The VAE's residual over the transformer's predicted spread ({@link SpreadScaledResidual}). */
    RESIDUAL_OVER_SPREAD("vae-residual/patch-spread", "VAE residual over the masked-patch transformer's predicted "
            + "spread"),
    /**
     * Both must find a pixel unusual: the geometric mean of the VAE's heatmap and the transformer's
     * smoothed standardised residual, each over its 99th percentile on clean images.
     */
    GEOMETRIC_MEAN("vae*patch-standardised-residual", "geometric mean of the VAE heatmap and the masked-patch "
            + "transformer's standardised residual");

    private final String id;
    private final String description;

    ImageExplanationMap(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name manifests and benchmark reports use. */
    public String id() {
        return id;
    }

    /** What the map is, in words (explanations name it as their method). */
    public String description() {
        return description;
    }

    /** The map named {@code id}; a manifest without one predates the choice and used the spread-scaled residual. */
    public static ImageExplanationMap byId(String id) {
        if (id == null) {
            return RESIDUAL_OVER_SPREAD;
        }
        for (ImageExplanationMap m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown explanation map '" + id + "' (known: "
                + Arrays.stream(values()).map(ImageExplanationMap::id).toList() + ")");
    }

    /**
     * How high each half of a combined map runs on clean images, so that "as unusual as the top 1% of
     * normal pixels" weighs the same in both.
     *
     * @param vaeHeatmap    99th percentile of the VAE's heatmap
     * @param patchResidual 99th percentile of the transformer's smoothed standardised residual
     */
    public record Scales(double vaeHeatmap, double patchResidual) {

        /** Both percentiles over every pixel of {@code clean}. */
        public static Scales measure(ImageVaeScorer vae, String alertScore, MaskedPatchModel patches,
                List<float[]> clean) {
            List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(vae, clean);
            List<MaskedPatchModel.Explanation> said = patches.explain(clean);
            float[][] heat = new float[clean.size()][];
            float[][] residual = new float[clean.size()][];
            for (int i = 0; i < clean.size(); i++) {
                heat[i] = ImageAlertScores.heatmap(alertScore, scored.get(i), clean.get(i));
                residual[i] = standardisedResidual(clean.get(i), said.get(i));
            }
            return new Scales(percentile99(heat), percentile99(residual));
        }
    }

    /**
     * The map of one image.
     *
     * @param image      the image as the model saw it
     * @param vae        the VAE's score of it (reconstruction and per-pixel terms)
     * @param alertScore the VAE's alert score, whose heatmap is used
     * @param patches    the transformer's prediction of each pixel from the other patches
     * @param scales     clean levels; only {@link #GEOMETRIC_MEAN} reads them
     */
    public float[] of(float[] image, ImageVaeScorer.ImageScore vae, String alertScore,
            MaskedPatchModel.Explanation patches, Scales scales) {
        if (this == RESIDUAL_OVER_SPREAD) {
            return SpreadScaledResidual.of(image, vae.reconstruction(), patches.spread());
        }
        if (scales == null) {
            throw new IllegalArgumentException(id + " needs the clean scales of its two halves");
        }
        float[] heat = ImageAlertScores.heatmap(alertScore, vae, image);
        float[] residual = standardisedResidual(image, patches);
        float[] map = new float[image.length];
        for (int p = 0; p < map.length; p++) {
            map[p] = (float) Math.sqrt(Math.max(0, heat[p] / scales.vaeHeatmap())
                    * Math.max(0, residual[p] / scales.patchResidual()));
        }
        return map;
    }

    /** The transformer's standardised residual, smoothed like the VAE's heatmap. */
    public static float[] standardisedResidual(float[] image, MaskedPatchModel.Explanation patches) {
        return ImageAlertScores.smoothedResidual(patches.standardisedResidual(image), new float[image.length]);
    }

    /** The 99th percentile over every pixel of {@code maps}; 1 where that is not positive. */
    public static double percentile99(float[][] maps) {
        int total = Arrays.stream(maps).mapToInt(m -> m.length).sum();
        float[] all = new float[total];
        int at = 0;
        for (float[] m : maps) {
            System.arraycopy(m, 0, all, at, m.length);
            at += m.length;
        }
        Arrays.sort(all);
        double q = all[(int) Math.floor(0.99 * (all.length - 1))];
        return q > 0 ? q : 1;
    }
}
