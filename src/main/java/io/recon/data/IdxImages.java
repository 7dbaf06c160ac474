package io.recon.data;

import io.recon.imaging.GrayImage;

/**
 * An IDX image set (MNIST / Fashion-MNIST layout): {@code count} images of {@code rows x cols}
 * unsigned bytes, stored contiguously.
 *
 * @param count  number of images
 * @param rows   image height
 * @param cols   image width
 * @param pixels {@code count * rows * cols} bytes, image-major then row-major
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /** Validates the components; see the record description. */
    public IdxImages {
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("expected " + ((long) count * rows * cols) + " bytes, got " + pixels.length);
        }
    }

    /** The raw byte value (0–255) of image {@code i} at ({@code row}, {@code col}). */
    public int pixel(int i, int row, int col) {
        return pixels[offset(i) + row * cols + col] & 0xff;
    }

    /** Image {@code i} scaled by 1/255. */
    public GrayImage image(int i) {
        int base = offset(i);
        float[] out = new float[rows * cols];
        for (int k = 0; k < out.length; k++) {
            out[k] = (pixels[base + k] & 0xff) / 255f;
        }
        return new GrayImage(cols, rows, out, "IDX image " + i + " /255");
    }

    private int offset(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image " + i + " outside 0.." + (count - 1));
        }
        return i * rows * cols;
    }

    /** Equality by content (records would otherwise compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof IdxImages i && i.count == count && i.rows == rows && i.cols == cols
                && java.util.Arrays.equals(i.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(count, rows, cols, java.util.Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "IdxImages[" + count + " x " + rows + "x" + cols + "]";
    }
}
