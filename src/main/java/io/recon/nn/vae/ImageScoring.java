package io.recon.nn.vae;

import java.util.ArrayList;
import java.util.List;


/** Scores many images in fixed-size batches, for the benchmark commands and the bundle writer. */
public final class ImageScoring {

    private static final int BATCH = 100;

    private ImageScoring() {
    }

    /** Every image's scores and anomaly map, in input order. */
    public static List<ImageVaeScorer.ImageScore> scoreAll(ImageVaeScorer scorer, List<float[]> images) {
        List<ImageVaeScorer.ImageScore> out = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += BATCH) {
            out.addAll(scorer.score(images.subList(start, Math.min(images.size(), start + BATCH))));
        }
        return out;
    }

    /** The named score (see {@link ImageAlertScores}) of each image. */
    public static double[] named(String score, List<ImageVaeScorer.ImageScore> scored, List<float[]> images) {
        double[] out = new double[scored.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ImageAlertScores.byName(score, scored.get(i), images.get(i));
        }
        return out;
    }
}
