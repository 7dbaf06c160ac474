package io.recon.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.evaluation.BinaryMetrics;

/**
 * How well pixel maps agree with masks of planted regions (lesions, pasted patches): AUROC and
 * AUPRC over every pixel of the selected images (planted pixels positive), and the share of images
 * whose brightest pixel is a planted one.
 *
 * @param images selected images
 * @param auroc  pixel AUROC
 * @param auprc  pixel AUPRC (a random map scores the lesion pixels' share)
 * @param hit    share of images whose map peaks inside the lesion
 */
record PixelAgreement(int images, double auroc, double auprc, double hit) {

    /** The agreement of {@code maps[i]} with {@code masks.get(i)} over the images {@code selected} accepts. */
    static PixelAgreement of(float[][] maps, List<boolean[]> masks, IntPredicate selected) {
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            if (selected.test(i)) {
                chosen.add(i);
            }
        }
        if (chosen.isEmpty()) {
            return new PixelAgreement(0, Double.NaN, Double.NaN, Double.NaN);
        }
        int pixels = maps[chosen.get(0)].length;
        double[] scores = new double[chosen.size() * pixels];
        boolean[] lesion = new boolean[scores.length];
        int hits = 0;
        for (int k = 0; k < chosen.size(); k++) {
            float[] map = maps[chosen.get(k)];
            boolean[] mask = masks.get(chosen.get(k));
            int peak = 0;
            for (int p = 0; p < pixels; p++) {
                scores[k * pixels + p] = map[p];
                lesion[k * pixels + p] = mask[p];
                peak = map[p] > map[peak] ? p : peak;
            }
            hits += mask[peak] ? 1 : 0;
        }
        return new PixelAgreement(chosen.size(), BinaryMetrics.auroc(scores, lesion),
                BinaryMetrics.auprc(scores, lesion), hits / (double) chosen.size());
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("images", images);
        n.put("auroc", round(auroc));
        n.put("auprc", round(auprc));
        n.put("hit", round(hit));
        return n;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }
}
