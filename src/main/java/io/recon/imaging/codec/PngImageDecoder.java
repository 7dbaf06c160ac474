package io.recon.imaging.codec;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, and anything else the JDK's ImageIO reads (JPEG, BMP, GIF), to a {@link GrayImage}.
 * Gray images keep their bit depth (8- and 16-bit samples are divided by 255 / 65535); colour
 * images become Rec. 601 luma {@code 0.299 R + 0.587 G + 0.114 B}; alpha is ignored (the pixel's
 * colour is used as if opaque).
 *
 * <p>The pixel limit is enforced from the image header, before any raster is allocated, so a tiny
 * file declaring 100000 x 100000 pixels is refused as {@code too_large} instead of exhausting memory.
 */
public final class PngImageDecoder {

    /** Default pixel limit: 4096 x 4096. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;

    private final long maxPixels;

    /** A decoder with {@link #DEFAULT_MAX_PIXELS}. */
    public PngImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** A decoder refusing images with more than {@code maxPixels} pixels. */
    public PngImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive");
        }
        this.maxPixels = maxPixels;
    }

    /**
     * Decodes the first image in {@code bytes}.
     *
     * @throws ImageFormatException {@code corrupt_image} (not an image ImageIO recognises, or broken),
     *                              {@code truncated_image}, {@code too_large}
     */
    public GrayImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw ImageFormatException.corrupt("image data is empty");
        }
        if (bytes.length >= 132 && bytes[128] == 'D' && bytes[129] == 'I' && bytes[130] == 'C' && bytes[131] == 'M') {
            // Checked first: DICOM preambles often hold a TIFF header, which ImageIO would half-read.
            throw ImageFormatException.corrupt("data is a DICOM file (\"DICM\" at offset 128), not a PNG/JPEG/BMP "
                    + "image; send it with encoding 'dicom'");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = reader(in);
            if (reader == null) {
                throw ImageFormatException.corrupt("not a PNG, JPEG, BMP, GIF or TIFF image (first bytes "
                        + hex(bytes, 8) + " match no ImageIO reader)");
            }
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase();
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw ImageFormatException.corrupt(format + " header declares an empty image ("
                            + width + "x" + height + ")");
                }
                if ((long) width * height > maxPixels) {
                    throw ImageFormatException.tooLarge(format + " image is " + width + "x" + height + " = "
                            + ((long) width * height) + " pixels, over the limit of " + maxPixels);
                }
                BufferedImage image = reader.read(0);
                return toGray(image, format);
            } finally {
                reader.dispose();
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO signals both truncation and corruption with IIOException; an EOF anywhere in
            // the cause chain means the data simply stopped.
            if (causedByEof(e)) {
                throw new ImageFormatException(ImageFormatException.TRUNCATED,
                        "image data ends early (" + bytes.length + " bytes): " + e.getMessage(), e);
            }
            throw new ImageFormatException(ImageFormatException.CORRUPT,
                    "image data could not be decoded: " + e, e);
        }
    }

    /**
     * The first ImageIO reader for the data, ignoring WBMP: its "signature" is two zero bytes, so it
     * claims almost any binary (a DICOM preamble, for one) and then fails as if truncated.
     */
    private static ImageReader reader(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            try {
                if (!r.getFormatName().equalsIgnoreCase("wbmp")) {
                    return r;
                }
            } catch (IOException e) {
                // fall through to the next reader
            }
            r.dispose();
        }
        return null;
    }

    private static GrayImage toGray(BufferedImage image, String format) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        float[] out = new float[w * h];
        int colorType = cm.getColorSpace().getType();
        String how;
        if (!(cm instanceof IndexColorModel) && colorType == ColorSpace.TYPE_GRAY) {
            int bits = cm.getComponentSize(0);
            double max = (1L << bits) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) (raster.getSample(x, y, 0) / max);
                }
            }
            how = bits + "-bit gray /" + (long) max;
        } else if (!(cm instanceof IndexColorModel) && colorType == ColorSpace.TYPE_RGB
                && raster.getNumBands() >= 3 && cm.getColorSpace().isCS_sRGB()) {
            // Read raw samples rather than getRGB() so that 16-bit RGB keeps its precision.
            double rMax = (1L << cm.getComponentSize(0)) - 1;
            double gMax = (1L << cm.getComponentSize(1)) - 1;
            double bMax = (1L << cm.getComponentSize(2)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = luma(raster.getSample(x, y, 0) / rMax, raster.getSample(x, y, 1) / gMax,
                            raster.getSample(x, y, 2) / bMax);
                }
            }
            how = cm.getComponentSize(0) + "-bit RGB -> luma";
        } else {
            // Palette, CMYK, other colour spaces: let Java2D convert to 8-bit sRGB first.
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = image.getRGB(x, y);
                    out[y * w + x] = luma(((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                            (rgb & 0xff) / 255.0);
                }
            }
            how = (cm instanceof IndexColorModel ? "palette" : "colour") + " -> sRGB luma";
        }
        return new GrayImage(w, h, out, format + " " + how);
    }

    static float luma(double r, double g, double b) {
        double y = 0.299 * r + 0.587 * g + 0.114 * b;
        return (float) Math.max(0, Math.min(1, y));
    }

    private static boolean causedByEof(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EOFException) {
                return true;
            }
            String m = c.getMessage();
            if (m != null && (m.contains("EOF") || m.contains("Premature end") || m.contains("end of stream"))) {
                return true;
            }
        }
        return false;
    }

    static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
