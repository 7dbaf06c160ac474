package io.recon.nn.vae;

import io.recon.event.EventScores;
import java.util.List;

/**
 * The scores an image bundle may declare as its alert score: the three VAE scores and the same
 * minus the image's own Bernoulli entropy ({@code *_excess}). On grey pixels the Bernoulli
 * -log p(x|z) never drops below H(x), a term fixed by the image alone, so the raw scores partly
 * rank images by how many mid-grey pixels they have; the excess removes that.
 *
 * <p>{@link #LOCAL_PEAK}, {@code local_peak_excess}, is the largest mean of the excess anomaly map
 * over any {@value #PEAK_WINDOW}x{@value #PEAK_WINDOW} window: a small lesion in a 64x64 slice
 * changes a few dozen of 4,096 pixels, which a whole-image bound dilutes into the slice-to-slice
 * variation of normal images, while a local peak keeps it. Averaging over a window (rather than
 * the single worst pixel) favours blob-shaped errors over the one-pixel-thin ones along bone edges.
 *
 * <p>{@link #LOCAL_RESIDUAL}, {@code local_residual}, is the largest absolute value of the
 * <em>signed</em> residual x - E[x|z=mu], averaged over {@value #PEAK_WINDOW}x{@value #PEAK_WINDOW}
 * windows. A VAE's blur leaves errors of opposite sign on the two sides of every edge, which the
 * window average cancels, while a lesion shifts all its pixels the same way and survives it. The
 * same smoothed residual is the heatmap of bundles that alert on it ({@link #smoothedResidual}).
 */
public final class ImageAlertScores {

    /** The raw VAE scores, by manifest name. */
    public static final List<String> RAW = List.of("reconstruction_error", "negative_elbo", "iwae");

    /** The entropy-corrected scores, in the same order as {@link #RAW}. */
    public static final List<String> EXCESS = List.of("reconstruction_excess", "negative_elbo_excess",
            "iwae_excess");

    /** The local-peak score's name. */
    public static final String LOCAL_PEAK = "local_peak_excess";

    /** The local-residual score's name. */
    public static final String LOCAL_RESIDUAL = "local_residual";

    /** Side of the local-peak window in model pixels. */
    public static final int PEAK_WINDOW = 5;

    private ImageAlertScores() {
    }

    /** Every score name a bundle with a Bernoulli decoder may declare. */
    public static List<String> all() {
        List<String> names = new java.util.ArrayList<>(RAW);
        names.addAll(EXCESS);
        names.add(LOCAL_PEAK);
        names.add(LOCAL_RESIDUAL);
        return names;
    }

    /** Whether the score needs the Bernoulli entropy (only meaningful for that likelihood). */
    public static boolean isExcess(String name) {
        return EXCESS.contains(name) || LOCAL_PEAK.equals(name);
    }

    /** The score called {@code name} of a scored image, including {@link #LOCAL_PEAK}. */
    public static double byName(String name, ImageVaeScorer.ImageScore scored, float[] pixels) {
        if (LOCAL_PEAK.equals(name)) {
            return localPeak(scored.anomalyMap(), pixels);
        }
        if (LOCAL_RESIDUAL.equals(name)) {
            return max(smoothedResidual(pixels, scored.reconstruction()));
        }
        return byName(name, scored.scores(), pixels);
    }

    /**
     * The per-pixel map behind an alert score, for its heatmap: the smoothed residual for
     * {@link #LOCAL_RESIDUAL}, -log p(x|z=mu) minus each pixel's entropy for the excess scores and
     * the local peak, and -log p(x|z=mu) itself for the raw scores.
     */
    public static float[] heatmap(String name, ImageVaeScorer.ImageScore scored, float[] pixels) {
        if (LOCAL_RESIDUAL.equals(name)) {
            return smoothedResidual(pixels, scored.reconstruction());
        }
        float[] map = scored.anomalyMap().clone();
        if (isExcess(name)) {
            for (int i = 0; i < map.length; i++) {
                map[i] -= (float) pixelEntropy(pixels[i]);
            }
        }
        return map;
    }

    /**
     * |mean of (x - reconstruction) over the {@value #PEAK_WINDOW}x{@value #PEAK_WINDOW} window
     * centred on each pixel| of a square image, the outside counting as zero.
     */
    public static float[] smoothedResidual(float[] pixels, float[] reconstruction) {
        int side = squareSide(pixels.length);
        if (reconstruction.length != pixels.length) {
            throw new IllegalArgumentException("reconstruction has " + reconstruction.length + " pixels, image "
                    + pixels.length);
        }
        float[] out = new float[pixels.length];
        int half = PEAK_WINDOW / 2;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double sum = 0;
                for (int yy = Math.max(0, y - half); yy <= Math.min(side - 1, y + half); yy++) {
                    for (int xx = Math.max(0, x - half); xx <= Math.min(side - 1, x + half); xx++) {
                        int i = yy * side + xx;
                        sum += pixels[i] - reconstruction[i];
                    }
                }
                // Outside the image counts as zero residual, so border windows are not inflated.
                out[y * side + x] = (float) Math.abs(sum / (PEAK_WINDOW * PEAK_WINDOW));
            }
        }
        return out;
    }

    private static int squareSide(int pixels) {
        int side = (int) Math.round(Math.sqrt(pixels));
        if (side * side != pixels) {
            throw new IllegalArgumentException("expected a square image, got " + pixels + " pixels");
        }
        return side;
    }

    private static double max(float[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * The largest {@value #PEAK_WINDOW}x{@value #PEAK_WINDOW} window mean of the per-pixel excess
     * map of a square image (windows lie wholly inside the image).
     */
    public static double localPeak(float[] map, float[] pixels) {
        int side = squareSide(map.length);
        if (pixels.length != map.length || side < PEAK_WINDOW) {
            throw new IllegalArgumentException("local peak needs a map of at least " + PEAK_WINDOW + "x" + PEAK_WINDOW
                    + " matching the image, got " + map.length + " and " + pixels.length + " pixels");
        }
        double[] excess = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            excess[i] = map[i] - pixelEntropy(pixels[i]);
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int y = 0; y + PEAK_WINDOW <= side; y++) {
            for (int x = 0; x + PEAK_WINDOW <= side; x++) {
                double sum = 0;
                for (int dy = 0; dy < PEAK_WINDOW; dy++) {
                    for (int dx = 0; dx < PEAK_WINDOW; dx++) {
                        sum += excess[(y + dy) * side + x + dx];
                    }
                }
                best = Math.max(best, sum / (PEAK_WINDOW * PEAK_WINDOW));
            }
        }
        return best;
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
            h += pixelEntropy(x);
        }
        return h;
    }

    /** H(x) of one pixel value in nats, 0 at 0 and 1. */
    public static double pixelEntropy(float x) {
        return x > 0f && x < 1f ? -(x * Math.log(x) + (1 - x) * Math.log1p(-x)) : 0;
    }
}
