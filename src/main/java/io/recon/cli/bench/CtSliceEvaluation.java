package io.recon.cli.bench;

import io.recon.nn.vae.ImageScoring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.recon.evaluation.BinaryMetrics;
import io.recon.data.medical.CtSliceDataset;
import io.recon.data.medical.SyntheticLesion;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * Evaluates a CT slice model on held-out slices: image-level AUROC of every score (lesioned vs
 * clean copies of the same posed slices), the alert score's AUROC and recall by lesion kind and
 * size, pixel-level AUROC of the anomaly map against the lesion masks, false-positive rate and
 * recall at the calibrated threshold, and how out-of-distribution inputs score.
 */
final class CtSliceEvaluation {

    /** Lesions with a semi-major axis below this many source pixels count as small. */
    static final double SMALL_RADIUS = 12;

    private final ImageVaeScorer scorer;
    private final String alertScore;
    private final List<String> scores;
    private final ObjectMapper mapper;

    /**
     * @param scorer     the trained model's scorer
     * @param alertScore the score thresholded for alerts
     * @param scores     every score to report at image level
     */
    CtSliceEvaluation(ImageVaeScorer scorer, String alertScore, List<String> scores, ObjectMapper mapper) {
        this.scorer = scorer;
        this.alertScore = alertScore;
        this.scores = scores;
        this.mapper = mapper;
    }

    /**
     * @param cases     posed test slices, clean and lesioned
     * @param threshold the alert threshold, set on calibration slices
     * @param ood       named sets of out-of-distribution model inputs
     */
    ObjectNode evaluate(List<CtSliceDataset.Case> cases, double threshold, Map<String, List<float[]>> ood) {
        List<float[]> clean = new ArrayList<>();
        List<CtSliceDataset.Case> withLesion = new ArrayList<>();
        List<float[]> lesioned = new ArrayList<>();
        for (CtSliceDataset.Case c : cases) {
            clean.add(c.clean());
            if (c.lesion() != null) {
                withLesion.add(c);
                lesioned.add(c.lesioned());
            }
        }
        List<ImageVaeScorer.ImageScore> cleanScored = ImageScoring.scoreAll(scorer, clean);
        List<ImageVaeScorer.ImageScore> lesionScored = ImageScoring.scoreAll(scorer, lesioned);
        double[] cleanAlert = ImageScoring.named(alertScore, cleanScored, clean);
        double[] lesionAlert = ImageScoring.named(alertScore, lesionScored, lesioned);

        ObjectNode result = mapper.createObjectNode();
        result.put("cleanImages", clean.size());
        result.put("lesionedImages", lesioned.size());
        result.put("casesWithoutRoomForALesion", clean.size() - lesioned.size());
        ObjectNode auroc = result.putObject("imageAuroc");
        for (String score : scores) {
            auroc.put(score, auroc(ImageScoring.named(score, cleanScored, clean),
                    ImageScoring.named(score, lesionScored, lesioned)));
        }
        result.put("threshold", threshold);
        result.put("cleanFalsePositiveRate", BinaryMetrics.falsePositiveRate(cleanAlert, threshold));
        result.put("lesionRecall", BinaryMetrics.fractionAbove(lesionAlert, threshold));
        result.set("byLesion", byLesion(withLesion, cleanAlert, lesionAlert, threshold));
        result.set("pixelAuroc", pixelAuroc(withLesion, lesionScored));
        result.set("outOfDistribution", outOfDistribution(ood, cleanAlert, threshold));
        return result;
    }

    private ArrayNode byLesion(List<CtSliceDataset.Case> cases, double[] cleanAlert, double[] lesionAlert,
            double threshold) {
        ArrayNode groups = mapper.createArrayNode();
        for (String kind : List.of("bright", "dark")) {
            for (boolean small : List.of(true, false)) {
                Predicate<SyntheticLesion> in = l -> l.kind().equals(kind) && (l.radius() < SMALL_RADIUS) == small;
                List<Double> selected = new ArrayList<>();
                for (int i = 0; i < cases.size(); i++) {
                    if (in.test(cases.get(i).lesion())) {
                        selected.add(lesionAlert[i]);
                    }
                }
                double[] group = selected.stream().mapToDouble(Double::doubleValue).toArray();
                ObjectNode g = groups.addObject();
                g.put("kind", kind);
                g.put("size", small ? "radius < " + (int) SMALL_RADIUS + " px" : "radius >= " + (int) SMALL_RADIUS
                        + " px");
                g.put("images", group.length);
                if (group.length > 0) {
                    g.put("auroc", auroc(cleanAlert, group));
                    g.put("recall", BinaryMetrics.fractionAbove(group, threshold));
                }
            }
        }
        return groups;
    }

    /**
     * AUROC over every pixel of every lesioned image, lesion pixels positive: once for the raw map
     * (-log p(x|z=mu) per pixel), once with each pixel's own Bernoulli entropy taken off, and once
     * for the smoothed signed residual of {@link ImageAlertScores#LOCAL_RESIDUAL}.
     */
    private ObjectNode pixelAuroc(List<CtSliceDataset.Case> cases, List<ImageVaeScorer.ImageScore> scored) {
        int pixels = cases.isEmpty() ? 0 : cases.get(0).clean().length;
        double[] raw = new double[cases.size() * pixels];
        double[] excess = new double[raw.length];
        double[] residual = new double[raw.length];
        boolean[] lesion = new boolean[raw.length];
        for (int i = 0; i < cases.size(); i++) {
            float[] map = scored.get(i).anomalyMap();
            float[] x = cases.get(i).lesioned();
            boolean[] mask = cases.get(i).mask();
            float[] smoothed = ImageAlertScores.smoothedResidual(x, scored.get(i).reconstruction());
            for (int p = 0; p < pixels; p++) {
                int k = i * pixels + p;
                raw[k] = map[p];
                excess[k] = map[p] - ImageAlertScores.pixelEntropy(x[p]);
                residual[k] = smoothed[p];
                lesion[k] = mask[p];
            }
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("lesionPixels", BinaryMetrics.countTrue(lesion));
        out.put("pixels", lesion.length);
        if (BinaryMetrics.countTrue(lesion) > 0) {
            out.put("anomaly_map", BinaryMetrics.auroc(raw, lesion));
            out.put("anomaly_map_excess", BinaryMetrics.auroc(excess, lesion));
            out.put("smoothed_residual", BinaryMetrics.auroc(residual, lesion));
        }
        return out;
    }

    private ArrayNode outOfDistribution(Map<String, List<float[]>> ood, double[] cleanAlert, double threshold) {
        ArrayNode sets = mapper.createArrayNode();
        for (Map.Entry<String, List<float[]>> e : ood.entrySet()) {
            List<float[]> images = e.getValue();
            double[] alert = ImageScoring.named(alertScore, ImageScoring.scoreAll(scorer, images), images);
            ObjectNode s = sets.addObject();
            s.put("name", e.getKey());
            s.put("images", images.size());
            s.put("aurocVsCleanTest", auroc(cleanAlert, alert));
            s.put("alertRate", BinaryMetrics.fractionAbove(alert, threshold));
        }
        return sets;
    }

    /** AUROC with {@code anomalous} scores as positives and {@code normal} ones as negatives. */
    static double auroc(double[] normal, double[] anomalous) {
        double[] all = new double[normal.length + anomalous.length];
        boolean[] labels = new boolean[all.length];
        System.arraycopy(normal, 0, all, 0, normal.length);
        System.arraycopy(anomalous, 0, all, normal.length, anomalous.length);
        for (int i = normal.length; i < all.length; i++) {
            labels[i] = true;
        }
        return BinaryMetrics.auroc(all, labels);
    }
}
