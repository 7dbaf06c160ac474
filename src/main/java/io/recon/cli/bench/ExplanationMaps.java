package io.recon.cli.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.nn.explainer.SpreadScaledResidual;
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
        double vaeScale = percentile99(vaeHeatmaps(vaeScorer, alertScore, clean));
        Map<String, float[][]> cleanPatch = patchMaps(patches, clean);
        for (Map.Entry<String, float[][]> e : patchMaps.entrySet()) {
            double patchScale = percentile99(cleanPatch.get(e.getKey()));
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
        // Both must find the pixel unusual: the geometric mean of the two scaled maps.
        String standardised = METHODS.get(3);
        double patchScale = percentile99(cleanPatch.get(standardised));
        float[][] vae = maps.get(METHODS.get(0));
        float[][] product = new float[vae.length][];
        for (int i = 0; i < vae.length; i++) {
            product[i] = new float[vae[i].length];
            for (int p = 0; p < vae[i].length; p++) {
                product[i][p] = (float) Math.sqrt(Math.max(0, vae[i][p] / vaeScale)
                        * Math.max(0, patchMaps.get(standardised)[i][p] / patchScale));
            }
        }
        maps.put(METHODS.get(7), product);
        // The VAE's residual in units of the spread the surrounding patches leave for each pixel: an
        // edge the context cannot pin down weighs less than the same residual in flat tissue.
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(vaeScorer, images);
        List<MaskedPatchModel.Explanation> said = patches.explain(images);
        float[][] scaled = new float[images.size()][];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = SpreadScaledResidual.of(images.get(i), scored.get(i).reconstruction(),
                    said.get(i).spread());
        }
        maps.put(METHODS.get(8), scaled);
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
            standardised[i] = ImageAlertScores.smoothedResidual(said.get(i).standardisedResidual(x),
                    new float[x.length]);
        }
        Map<String, float[][]> maps = new LinkedHashMap<>();
        maps.put(METHODS.get(1), surprise);
        maps.put(METHODS.get(2), residual);
        maps.put(METHODS.get(3), standardised);
        return maps;
    }

    static double percentile99(float[][] maps) {
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
