package io.recon.data.medical;

/**
 * An elliptical blob added to a CT slice in Hounsfield units: brighter than brain for a
 * haemorrhage-like lesion, darker for an infarct- or oedema-like one. The change is full inside
 * 70% of the radius and falls off smoothly (raised cosine) to nothing at the edge, so there is no
 * sharp ring a model could key on. The slice's own noise and texture stay underneath.
 *
 * @param cx      centre column in pixels
 * @param cy      centre row in pixels
 * @param radius  semi-major axis in pixels
 * @param aspect  semi-minor / semi-major axis, in (0, 1]
 * @param degrees orientation of the major axis
 * @param deltaHu change at the core, in HU (positive = bright)
 */
public record SyntheticLesion(double cx, double cy, double radius, double aspect, double degrees, double deltaHu) {

    /** Elliptical radius (1 = edge) below which a pixel counts as lesion in the ground truth. */
    public static final double MASK_RADIUS = 0.85;
    private static final double CORE = 0.7;

    /** Validates the shape. */
    public SyntheticLesion {
        if (!(radius > 0) || !(aspect > 0 && aspect <= 1)) {
            throw new IllegalArgumentException("lesion radius must be > 0 and aspect in (0,1], got " + radius + ", "
                    + aspect);
        }
    }

    /** "bright" or "dark". */
    public String kind() {
        return deltaHu >= 0 ? "bright" : "dark";
    }

    /** The slice with the lesion added (a copy). */
    public float[] applyTo(float[] hu, int width, int height) {
        float[] out = hu.clone();
        forEachCovered(width, height, (i, d) -> out[i] += (float) (deltaHu * profile(d)));
        return out;
    }

    /** The ground truth: pixels within {@link #MASK_RADIUS} of the edge, where the change is over about half. */
    public boolean[] mask(int width, int height) {
        boolean[] mask = new boolean[width * height];
        forEachCovered(width, height, (i, d) -> mask[i] = d <= MASK_RADIUS);
        return mask;
    }

    private static double profile(double d) {
        if (d <= CORE) {
            return 1;
        }
        return d >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * (d - CORE) / (1 - CORE)));
    }

    private interface PixelVisitor {
        void visit(int index, double ellipticalRadius);
    }

    private void forEachCovered(int width, int height, PixelVisitor visitor) {
        double cos = Math.cos(Math.toRadians(degrees));
        double sin = Math.sin(Math.toRadians(degrees));
        double minor = radius * aspect;
        int x0 = Math.max(0, (int) Math.floor(cx - radius));
        int x1 = Math.min(width - 1, (int) Math.ceil(cx + radius));
        int y0 = Math.max(0, (int) Math.floor(cy - radius));
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + radius));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double u = (x - cx) * cos + (y - cy) * sin;
                double v = -(x - cx) * sin + (y - cy) * cos;
                double d = Math.sqrt((u / radius) * (u / radius) + (v / minor) * (v / minor));
                if (d < 1) {
                    visitor.visit(y * width + x, d);
                }
            }
        }
    }
}
