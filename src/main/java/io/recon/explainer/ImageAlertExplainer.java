package io.recon.explainer;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.recon.bundle.ImageExplainerBundle;
import io.recon.bundle.ImageModelBundle;
import io.recon.event.InvalidEventException;
import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.Window;
import io.recon.imaging.codec.PngImageDecoder;
import io.recon.nn.explainer.ImageExplanationMap;
import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * Explains the image alerts of one image VAE: the image as the model saw it (the alert's {@code
 * inputPng}) is scored by that VAE and each of its patches predicted from the others by the
 * masked-patch transformer; the bundle's {@link ImageExplanationMap} combines the two, and where it
 * passes its clean level pixels group into regions, each told with its intensity and what the
 * surroundings imply.
 */
final class ImageAlertExplainer {

    /** Regions listed per explanation. */
    static final int TOP_REGIONS = 3;

    private final ImageExplainerBundle explainer;
    private final ImageModelBundle vae;
    private final PngImageDecoder decoder = new PngImageDecoder();

    /**
     * @param explainer the image explainer bundle
     * @param vae       the image VAE bundle it explains (its score is half the map)
     */
    ImageAlertExplainer(ImageExplainerBundle explainer, ImageModelBundle vae) {
        this.explainer = explainer;
        this.vae = vae;
    }

    /** The explainer bundle. */
    ImageExplainerBundle bundle() {
        return explainer;
    }

    /**
     * The alert's image at the model's size.
     *
     * @throws InvalidEventException {@code alert_missing_field} without {@code inputPng},
     *                               {@code bad_image} for one that is not a PNG of the model's size
     */
    float[] decode(ExplainableAlert alert) {
        if (alert.inputPng() == null) {
            throw new InvalidEventException("alert_missing_field", "the image alert of event '" + alert.eventId()
                    + "' carries no 'inputPng' (scorers before this version did not send it)");
        }
        int side = explainer.manifest().side();
        GrayImage image;
        try {
            image = decoder.decode(Base64.getDecoder().decode(alert.inputPng()));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("bad_image", "'inputPng' of the alert of event '" + alert.eventId()
                    + "' is not base64: " + e.getMessage());
        } catch (ImageFormatException e) {
            throw new InvalidEventException("bad_image", "'inputPng' of the alert of event '" + alert.eventId()
                    + "': " + e.getMessage());
        }
        if (image.width() != side || image.height() != side) {
            throw new InvalidEventException("bad_image", "'inputPng' of the alert of event '" + alert.eventId()
                    + "' is " + image.width() + "x" + image.height() + ", not the model's " + side + "x" + side);
        }
        return image.pixels();
    }

    /** Explains alerts whose images {@link #decode} accepted, in order (one network call per 16 images). */
    List<Explanation> explain(List<ExplainableAlert> alerts, List<float[]> images, long now) {
        List<ImageVaeScorer.ImageScore> scored = ImageScoring.scoreAll(vae.scorer(), images);
        List<MaskedPatchModel.Explanation> said = explainer.model().explain(images);
        List<Explanation> out = new ArrayList<>(alerts.size());
        ImageExplainerBundle.Manifest m = explainer.manifest();
        ImageExplanationMap drawing = m.explanationMap();
        String alertScore = vae.manifest().scoring().alertScore();
        for (int i = 0; i < alerts.size(); i++) {
            float[] x = images.get(i);
            MaskedPatchModel.Explanation e = said.get(i);
            float[] map = drawing.of(x, scored.get(i), alertScore, e, m.mapScales());
            List<ImageRegions.Found> found = ImageRegions.find(map, m.side(), m.normalMap().p999(), TOP_REGIONS);
            List<ImageRegion> regions = found.stream().map(f -> region(f, x, e)).toList();
            ExplainableAlert a = alerts.get(i);
            out.add(new Explanation(a.eventId(), a.source(), a.stream(), a.model(), a.version(), a.severity(),
                    sentence(found, regions, m.side(), m.window() != null ? "the tissue" : "the image"), null, null,
                    regions, heatmap(map, m), new Explanation.Explainer(m.name(), m.version(), m.kind(),
                            drawing.description()), a.scoredAt(), now));
        }
        return out;
    }

    private ImageRegion region(ImageRegions.Found f, float[] x, MaskedPatchModel.Explanation e) {
        int side = explainer.manifest().side();
        double sx = 0;
        double sy = 0;
        double observed = 0;
        double expected = 0;
        double spread = 0;
        int left = side;
        int top = side;
        int right = -1;
        int bottom = -1;
        for (int p : f.pixels()) {
            int px = p % side;
            int py = p / side;
            sx += px;
            sy += py;
            observed += x[p];
            expected += e.expected()[p];
            spread += e.spread()[p];
            left = Math.min(left, px);
            top = Math.min(top, py);
            right = Math.max(right, px);
            bottom = Math.max(bottom, py);
        }
        int n = f.pixels().size();
        observed /= n;
        expected /= n;
        spread /= n;
        Window w = explainer.manifest().window();
        // The prediction is a Gaussian; the model's input lies in 0..1 (a CT window's edges), so
        // what it can expect is clipped there too.
        return new ImageRegion(round(sx / n, 1), round(sy / n, 1), List.of(left, top, right - left + 1,
                bottom - top + 1), n, observed >= expected ? "bright" : "dark", units(w, observed),
                units(w, clip(expected)), List.of(units(w, clip(expected - 2 * spread)),
                        units(w, clip(expected + 2 * spread))),
                w == null ? "model scale" : "HU", round(f.peak() / explainer.manifest().normalMap().p999(), 2));
    }

    private static double clip(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** A value on the model's 0..1 scale in Hounsfield units where the model has a window. */
    private static double units(Window w, double v) {
        return w == null ? round(v, 3) : Math.round(w.center() - w.width() / 2 + v * w.width());
    }

    private static String sentence(List<ImageRegions.Found> found, List<ImageRegion> regions, int side,
            String surroundings) {
        ImageRegion r = regions.get(0);
        String at = String.format(Locale.ROOT, "around (%d, %d) of the %dx%d image", Math.round(r.x()),
                Math.round(r.y()), side, side);
        String values = String.format(Locale.ROOT, "%s where %s (%s to %s) is expected from %s around it",
                value(r.observed(), r.unit()), value(r.expected(), r.unit()), value(r.expectedRange().get(0),
                        r.unit()), value(r.expectedRange().get(1), r.unit()), surroundings);
        if (!found.get(0).aboveLevel()) {
            return "Nothing stands out beyond normal images; the most unusual spot, " + at + ": " + values + ".";
        }
        String more = regions.size() > 1 ? " " + (regions.size() - 1) + " more region"
                + (regions.size() > 2 ? "s stand" : " stands") + " out." : "";
        return "A " + r.kind() + " region of " + r.pixels() + " px " + at + ": " + values + "." + more;
    }

    private static String value(double v, String unit) {
        return "HU".equals(unit) ? Math.round(v) + " HU" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The map as an 8-bit PNG, white at its peak or at the clean level, whichever is higher. */
    private static String heatmap(float[] map, ImageExplainerBundle.Manifest m) {
        double top = m.normalMap().p999();
        for (float v : map) {
            top = Math.max(top, v);
        }
        float[] scaled = new float[map.length];
        for (int p = 0; p < map.length; p++) {
            scaled[p] = (float) Math.max(0, Math.min(1, map[p] / top));
        }
        return Base64.getEncoder().encodeToString(new GrayImage(m.side(), m.side(), scaled, "explanation map")
                .toPng());
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
