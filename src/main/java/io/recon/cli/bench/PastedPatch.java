package io.recon.cli.bench;

import java.util.List;
import java.util.Random;

/**
 * A known region for image explanations: a square cut from an image of another class and pasted
 * at the same place into a normal one. The ground truth is the pixels of the square that the paste
 * really changed; pastes that change too little (background onto background) are redrawn.
 *
 * @param image the image with the paste
 * @param mask  the pixels it changed
 * @param side  the square's side
 */
record PastedPatch(float[] image, boolean[] mask, int side) {

    /** Smallest and largest square side, pixels of a 28x28 image. */
    static final int MIN_SIDE = 6;
    static final int MAX_SIDE = 10;
    /** A pixel counts as changed above this difference (0..1 scale). */
    static final double CHANGED = 0.05;
    /** A paste must change the square's pixels by this much on average. */
    static final double MIN_MEAN_CHANGE = 0.2;

    /**
     * A paste into {@code normal} (a square image) from one of {@code donors}, or null when 50 draws
     * found none that changes enough.
     */
    static PastedPatch into(float[] normal, List<float[]> donors, Random random) {
        int side = (int) Math.round(Math.sqrt(normal.length));
        for (int attempt = 0; attempt < 50; attempt++) {
            int s = MIN_SIDE + random.nextInt(MAX_SIDE - MIN_SIDE + 1);
            int x0 = random.nextInt(side - s + 1);
            int y0 = random.nextInt(side - s + 1);
            float[] donor = donors.get(random.nextInt(donors.size()));
            float[] image = normal.clone();
            boolean[] mask = new boolean[normal.length];
            double change = 0;
            for (int y = y0; y < y0 + s; y++) {
                for (int x = x0; x < x0 + s; x++) {
                    int p = y * side + x;
                    image[p] = donor[p];
                    double d = Math.abs(donor[p] - normal[p]);
                    change += d;
                    mask[p] = d > CHANGED;
                }
            }
            if (change / (s * s) >= MIN_MEAN_CHANGE) {
                return new PastedPatch(image, mask, s);
            }
        }
        return null;
    }
}
