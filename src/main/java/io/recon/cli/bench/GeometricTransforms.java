package io.recon.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The geometric transformations a one-class image score is averaged over: a left-right mirror and
 * one-pixel shifts (what a garment photographed again might look like). Square images, row-major;
 * a shift fills the uncovered edge with 0, the Fashion-MNIST background.
 */
final class GeometricTransforms {

    private GeometricTransforms() {
    }

    /** The image mirrored left to right. */
    static float[] mirror(float[] pixels) {
        int side = side(pixels);
        float[] out = new float[pixels.length];
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                out[r * side + c] = pixels[r * side + side - 1 - c];
            }
        }
        return out;
    }

    /** The image moved {@code dx} pixels right and {@code dy} down, the uncovered edge 0. */
    static float[] shift(float[] pixels, int dx, int dy) {
        int side = side(pixels);
        float[] out = new float[pixels.length];
        for (int r = 0; r < side; r++) {
            int from = r - dy;
            if (from < 0 || from >= side) {
                continue;
            }
            for (int c = 0; c < side; c++) {
                int fromColumn = c - dx;
                if (fromColumn >= 0 && fromColumn < side) {
                    out[r * side + c] = pixels[from * side + fromColumn];
                }
            }
        }
        return out;
    }

    /** The mirror and the four one-pixel shifts, each a transformation of a whole image. */
    static List<UnaryOperator<float[]>> mirrorAndShifts() {
        return List.of(GeometricTransforms::mirror, p -> shift(p, 1, 0), p -> shift(p, -1, 0),
                p -> shift(p, 0, 1), p -> shift(p, 0, -1));
    }

    static List<float[]> applyToEach(UnaryOperator<float[]> transform, List<float[]> images) {
        List<float[]> out = new ArrayList<>(images.size());
        for (float[] image : images) {
            out.add(transform.apply(image));
        }
        return out;
    }

    private static int side(float[] pixels) {
        int side = (int) Math.round(Math.sqrt(pixels.length));
        if (side * side != pixels.length) {
            throw new IllegalArgumentException("not a square image: " + pixels.length + " pixels");
        }
        return side;
    }
}
