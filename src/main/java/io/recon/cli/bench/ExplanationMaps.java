package io.recon.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.nn.explainer.ImageExplanationMap;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * The pixel maps the image explanation benchmarks judge: the VAE's heatmap (what image alerts
 * carry), the masked-patch transformer's own maps, and combinations of the two.
 */
final class ExplanationMaps {

    private ExplanationMaps() {
    }

    /** Methods in report order. */
    static final List<String> METHODS = List.of("vae-heatmap", "patch-surprise", "patch-residual",
            "patch-standardised-residual", "vae+patch-surprise", "vae+patch-residual",
            "vae+patch-standardised-residual", "vae*patch-standardised-residual", "vae-residual/patch-spread");

    /**
     * Every method's map of every image in {@code images}; combinations scale each map by its 99th
     * percentile over {@code clean} images (no planted region, no label).
     */
    static Map<String, float[][]> of(ImageVaeScorer vaeScorer, String alertScore, MaskedPatchModel patches,
            List<float[]> images, List<float[]> clean) {
        Map<String, float[][]> maps = new LinkedHashMap<>();
        maps.put(METHODS.get(0), vaeHeatmaps(vaeScorer, alertScore, images));
        Map<String, float[][]> patchMaps = patchMaps(patches, images);
        maps.putAll(patchMaps);
        // Units differ between maps: each is divided by its 99th percentile over clean images
        // (nothing planted, no label), so that "as unusual as the top 1% of normal pixels" weighs the
        // same in both.
        double vaeScale = ImageExplanationMap.percentile99(vaeHeatmaps(vaeScorer, alertScore, clean));
        Map<String, float[][]> cleanPatch = patchMaps(patches, clean);
        for (Map.Entry<String, float[][]> e : patchMaps.entrySet()) {
            double patchScale = ImageExplanationMap.percentile99(cleanPatch.get(e.getKey()));
            float[][] vae = maps.get(METHODS.get(0));
            float[][] both = new float[vae.length][];
            for (int i = 0; i < vae.length; i++) {
                both[i] = new float[vae[i].length];
                for (int p = 0; p < both[i].length; p++) {
                    both[i][p] = (float) (0.5 * vae[i][p] / vaeScale + 0.5 * e.getValue()[i][p] / patchScale);
                }
            }
            maps.put("vae+" + e.getKey(), both);
        }
        // The two maps an explainer bundle can serve, computed by the code the explainer role runs.
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(vaeScorer, images);
        List<MaskedPatchModel.Explanation> said = patches.explain(images);
        ImageExplanationMap.Scales scales = new ImageExplanationMap.Scales(vaeScale,
                ImageExplanationMap.percentile99(cleanPatch.get(METHODS.get(3))));
        for (ImageExplanationMap map : List.of(ImageExplanationMap.GEOMETRIC_MEAN,
                ImageExplanationMap.RESIDUAL_OVER_SPREAD)) {
            float[][] drawn = new float[images.size()][];
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = map.of(images.get(i), scored.get(i), alertScore, said.get(i), scales);
            }
            maps.put(map.id(), drawn);
        }
        return maps;
    }

    private static float[][] vaeHeatmaps(ImageVaeScorer scorer, String alertScore, List<float[]> images) {
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(scorer, images);
        float[][] out = new float[images.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ImageAlertScores.heatmap(alertScore, scored.get(i), images.get(i));
        }
        return out;
    }

    private static Map<String, float[][]> patchMaps(MaskedPatchModel patches, List<float[]> images) {
        List<MaskedPatchModel.Explanation> said = patches.explain(images);
        float[][] surprise = new float[images.size()][];
        float[][] residual = new float[images.size()][];
        float[][] standardised = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            float[] x = images.get(i);
            surprise[i] = said.get(i).surprise();
            residual[i] = ImageAlertScores.smoothedResidual(x, said.get(i).expected());
            standardised[i] = ImageExplanationMap.standardisedResidual(x, said.get(i));
        }
        Map<String, float[][]> maps = new LinkedHashMap<>();
        maps.put(METHODS.get(1), surprise);
        maps.put(METHODS.get(2), residual);
        maps.put(METHODS.get(3), standardised);
        return maps;
    }
}
