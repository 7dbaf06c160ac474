package io.recon.data.medical;

/**
 * The brain tissue enclosed by the skull in an axial CT slice, where synthetic brain lesions may
 * be placed: pixels in a brain-tissue range of Hounsfield units from which a straight line meets
 * bone in at least 7 of the 8 compass directions. A flood fill from the image border would be
 * simpler but leaks through the thin or partial-volume gaps every real skull has in some slices;
 * one open direction is tolerated for the same reason. Where the vault is open (skull base,
 * vertex) the mask is small or empty, and no lesion is placed there.
 */
public final class IntracranialMask {

    /** At or above this many HU a pixel counts as bone. */
    public static final float BONE_HU = 300f;
    /** Brain tissue range (grey and white matter; excludes CSF and fat). */
    public static final float TISSUE_LOW_HU = 15f;
    /** Upper end of the brain tissue range. */
    public static final float TISSUE_HIGH_HU = 55f;
    /** Directions (of 8) in which a pixel must see bone. */
    public static final int ENCLOSING_DIRECTIONS = 7;

    private static final int[][] DIRECTIONS = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}};

    private IntracranialMask() {
    }

    /** How many pixels of a slice in HU the mask holds. */
    public static int area(float[] hu, int width, int height) {
        int area = 0;
        for (boolean inside : of(hu, width, height)) {
            area += inside ? 1 : 0;
        }
        return area;
    }

    /** The mask of a slice in HU, row-major {@code width x height}. */
    public static boolean[] of(float[] hu, int width, int height) {
        int[] enclosing = new int[hu.length];
        boolean[] seesBone = new boolean[hu.length];
        for (int[] d : DIRECTIONS) {
            int dx = d[0];
            int dy = d[1];
            // seesBone(x, y) = bone(x, y) or seesBone(x + dx, y + dy): visit (x + dx, y + dy) first.
            for (int yi = 0; yi < height; yi++) {
                int y = dy > 0 ? height - 1 - yi : yi;
                for (int xi = 0; xi < width; xi++) {
                    int x = dx > 0 ? width - 1 - xi : xi;
                    int i = y * width + x;
                    int nx = x + dx;
                    int ny = y + dy;
                    boolean beyond = nx >= 0 && nx < width && ny >= 0 && ny < height && seesBone[ny * width + nx];
                    seesBone[i] = hu[i] >= BONE_HU || beyond;
                }
            }
            for (int i = 0; i < hu.length; i++) {
                if (seesBone[i]) {
                    enclosing[i]++;
                }
            }
        }
        boolean[] mask = new boolean[hu.length];
        for (int i = 0; i < hu.length; i++) {
            mask[i] = enclosing[i] >= ENCLOSING_DIRECTIONS && hu[i] >= TISSUE_LOW_HU && hu[i] <= TISSUE_HIGH_HU;
        }
        return mask;
    }
}
