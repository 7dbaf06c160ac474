package io.recon.imaging;

import java.util.List;

/**
 * Square grayscale images of one size tiled row by row into one image, with a one-pixel white
 * border between them: how a report shows a generator's samples at a glance.
 */
public final class ImageGrid {

    private ImageGrid() {
    }

    /**
     * @param images  each {@code side * side} pixels in [0, 1], row-major; the first {@code columns * rows}
     *                are shown (fewer leave the rest blank)
     * @param side    their side
     * @param columns images per row
     * @return the grid as an 8-bit PNG
     */
    public static byte[] png(List<float[]> images, int side, int columns) {
        if (columns < 1 || images.isEmpty()) {
            throw new IllegalArgumentException("a grid needs images and at least one column");
        }
        int rows = (images.size() + columns - 1) / columns;
        int width = columns * (side + 1) + 1;
        int height = rows * (side + 1) + 1;
        float[] grid = new float[width * height];
        java.util.Arrays.fill(grid, 1f);
        for (int i = 0; i < images.size(); i++) {
            float[] image = images.get(i);
            if (image.length != side * side) {
                throw new IllegalArgumentException("image " + i + " has " + image.length + " pixels, not " + side + "x"
                        + side);
            }
            int x0 = 1 + (i % columns) * (side + 1);
            int y0 = 1 + (i / columns) * (side + 1);
            for (int y = 0; y < side; y++) {
                System.arraycopy(image, y * side, grid, (y0 + y) * width + x0, side);
            }
        }
        return new GrayImage(width, height, grid, "grid of " + images.size() + " images").toPng();
    }
}
