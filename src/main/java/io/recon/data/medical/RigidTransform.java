package io.recon.data.medical;

import java.util.Random;

/**
 * An in-plane rotation about the slice centre followed by a shift, applied with bilinear
 * interpolation: a patient lying slightly differently on the table. Used to augment the few
 * slices of a single volume and to make evaluation copies that were never seen in training.
 *
 * @param degrees rotation, counter-clockwise in image coordinates
 * @param dx      shift along x in pixels
 * @param dy      shift along y in pixels
 */
public record RigidTransform(double degrees, double dx, double dy) {

    /** No change. */
    public static final RigidTransform IDENTITY = new RigidTransform(0, 0, 0);

    /** A transform drawn uniformly within +-{@code maxDegrees} and +-{@code maxShift} pixels. */
    public static RigidTransform random(Random random, double maxDegrees, double maxShift) {
        return new RigidTransform((2 * random.nextDouble() - 1) * maxDegrees, (2 * random.nextDouble() - 1) * maxShift,
                (2 * random.nextDouble() - 1) * maxShift);
    }

    /**
     * The transformed slice; pixels that come from outside the input take {@code fill} (air, -1024
     * HU, for CT).
     */
    public float[] apply(float[] slice, int width, int height, float fill) {
        if (slice.length != width * height) {
            throw new IllegalArgumentException("slice has " + slice.length + " values, expected " + width * height);
        }
        if (equals(IDENTITY)) {
            return slice.clone();
        }
        double cos = Math.cos(Math.toRadians(degrees));
        double sin = Math.sin(Math.toRadians(degrees));
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        float[] out = new float[slice.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // Inverse mapping: where in the input does this output pixel come from?
                double ux = x - cx - dx;
                double uy = y - cy - dy;
                double sx = cos * ux + sin * uy + cx;
                double sy = -sin * ux + cos * uy + cy;
                out[y * width + x] = bilinear(slice, width, height, sx, sy, fill);
            }
        }
        return out;
    }

    private static float bilinear(float[] s, int w, int h, double x, double y, float fill) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double v00 = at(s, w, h, x0, y0, fill);
        double v10 = at(s, w, h, x0 + 1, y0, fill);
        double v01 = at(s, w, h, x0, y0 + 1, fill);
        double v11 = at(s, w, h, x0 + 1, y0 + 1, fill);
        return (float) ((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
    }

    private static float at(float[] s, int w, int h, int x, int y, float fill) {
        return x < 0 || y < 0 || x >= w || y >= h ? fill : s[y * w + x];
    }
}
