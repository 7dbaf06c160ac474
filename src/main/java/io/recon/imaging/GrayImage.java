package io.recon.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

/**
 * A single-channel image ready for the model: row-major pixels already windowed or normalised to
 * [0,1]. Every decoder in this package produces one.
 *
 * @param width       columns, &gt; 0
 * @param height      rows, &gt; 0
 * @param pixels      {@code width * height} values in [0,1], index {@code y * width + x}; the record
 *                    keeps the array it is given (use {@link #fromPixels} for a defensive copy)
 * @param description how the values were normalised (e.g. "DICOM CT, window 40/400 from file"),
 *                    for logs and debug output
 */
public record GrayImage(int width, int height, float[] pixels, String description) {

    /** Validates the components; see the record description. */
    public GrayImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels == null || pixels.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + ((long) width * height) + " pixels for "
                    + width + "x" + height + ", got " + (pixels == null ? "null" : pixels.length));
        }
        // Checked once here so that nothing downstream (the model, PNG export) sees NaN or values
        // outside [0,1]; decoders clamp, so a failure here is a bug, not bad input.
        for (int i = 0; i < pixels.length; i++) {
            float v = pixels[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("pixel " + i + " is " + v + ", outside [0,1]");
            }
        }
        description = description == null ? "" : description;
    }

    /** Builds an image from a copy of {@code pixels} (values must be in [0,1]). */
    public static GrayImage fromPixels(int width, int height, float[] pixels, String description) {
        return new GrayImage(width, height, pixels == null ? null : pixels.clone(), description);
    }

    /** The pixel at column {@code x}, row {@code y}. */
    public float get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + "," + y + ") outside " + width + "x" + height);
        }
        return pixels[y * width + x];
    }

    /** Mean pixel value. */
    public double mean() {
        double sum = 0;
        for (float v : pixels) {
            sum += v;
        }
        return sum / pixels.length;
    }

    /**
     * Resamples to {@code newWidth x newHeight}, each axis on its own: area averaging where it
     * shrinks (every source pixel contributes by the fraction of it an output pixel covers, so thin
     * structures fade instead of aliasing away) and bilinear interpolation with pixel-centre alignment
     * where it grows.
     */
    public GrayImage resize(int newWidth, int newHeight) {
        if (newWidth <= 0 || newHeight <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + newWidth + "x" + newHeight);
        }
        if (newWidth == width && newHeight == height) {
            return this;
        }
        Resampler.Taps xs = Resampler.taps(width, newWidth);
        Resampler.Taps ys = Resampler.taps(height, newHeight);
        float[] out = new float[newWidth * newHeight];
        // The axis that shrinks more goes first, so the intermediate image is the smaller one: a
        // 1 x 16,777,216 image resized columns first would need a 28 x 16,777,216 one (1.8 GB).
        if ((long) newWidth * height <= (long) width * newHeight) {
            float[] rows = new float[newWidth * height];
            for (int y = 0; y < height; y++) {
                xs.apply(pixels, y * width, 1, rows, y * newWidth, 1);
            }
            for (int x = 0; x < newWidth; x++) {
                ys.apply(rows, x, newWidth, out, x, newWidth);
            }
        } else {
            float[] columns = new float[width * newHeight];
            for (int x = 0; x < width; x++) {
                ys.apply(pixels, x, width, columns, x, width);
            }
            for (int y = 0; y < newHeight; y++) {
                xs.apply(columns, y * width, 1, out, y * newWidth, 1);
            }
        }
        for (int i = 0; i < out.length; i++) {
            // Float rounding can step a hair outside [0,1]; clamp to keep the invariant.
            out[i] = Math.max(0f, Math.min(1f, out[i]));
        }
        return new GrayImage(newWidth, newHeight, out,
                description + (description.isEmpty() ? "" : ", ") + "resized " + width + "x" + height
                        + "->" + newWidth + "x" + newHeight);
    }

    /** Encodes as an 8-bit grayscale PNG (value * 255, rounded), for heatmaps and debugging. */
    public byte[] toPng() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = Math.round(pixels[y * width + x] * 255f);
            }
            raster.setSamples(0, y, width, 1, 0, row);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GrayImage g && g.width == width && g.height == height
                && Arrays.equals(g.pixels, pixels) && g.description.equals(description);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GrayImage[" + width + "x" + height + ", " + description + "]";
    }
}
