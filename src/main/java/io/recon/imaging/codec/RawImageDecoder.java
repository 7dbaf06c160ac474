package io.recon.imaging.codec;

import io.recon.imaging.SampleType;
import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.Intensity;
import io.recon.imaging.Window;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Interprets headerless pixel buffers ({@code width x height} samples, row-major).
 *
 * <p>Normalisation when no window is given: unsigned integer types are taken as display
 * intensities on their full range ({@code uint8 / 255}, {@code uint16 / 65535}), like PNG; signed
 * and float data usually carry physical units (HU, scanner units) where the full type range would
 * flatten all contrast, so they are min–max scaled per image. Pass a {@link Window} for stable,
 * comparable scaling across events.
 */
public final class RawImageDecoder {

    /** Sample types accepted in the {@code dtype} field. */
    public enum Dtype {
        /** Unsigned 8-bit. */
        UINT8(SampleType.UINT8),
        /** Unsigned 16-bit. */
        UINT16(SampleType.UINT16),
        /** Signed 16-bit (e.g. CT Hounsfield units). */
        INT16(SampleType.INT16),
        /** IEEE 754 single precision. */
        FLOAT32(SampleType.FLOAT32);

        final SampleType type;

        Dtype(SampleType type) {
            this.type = type;
        }

        /** Bytes per sample. */
        public int bytes() {
            return type.bytes;
        }

        /**
         * Parses "uint8", "uint16", "int16" or "float32" (case-insensitive).
         *
         * @throws ImageFormatException {@code bad_field} naming the accepted values
         */
        public static Dtype parse(String s) {
            if (s != null) {
                for (Dtype d : values()) {
                    if (d.name().equalsIgnoreCase(s.trim())) {
                        return d;
                    }
                }
            }
            throw ImageFormatException.badField("dtype '" + s + "' is not supported; use uint8, uint16, int16 or float32");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final long maxPixels;

    /** A decoder refusing images with more than {@code maxPixels} pixels. */
    public RawImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * Decodes a raw buffer.
     *
     * @param order  byte order of multi-byte samples
     * @param window optional window (null: see class comment)
     * @throws ImageFormatException {@code bad_field} (dimensions or size mismatch), {@code too_large}
     */
    public GrayImage decode(byte[] data, int width, int height, Dtype dtype, ByteOrder order, Window window) {
        if (width <= 0 || height <= 0) {
            throw ImageFormatException.badField("raw width and height must be positive, got " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw ImageFormatException.tooLarge("raw image " + width + "x" + height + " = " + pixels
                    + " pixels is over the limit of " + maxPixels);
        }
        long expected = pixels * dtype.bytes();
        if (data.length != expected) {
            throw ImageFormatException.badField("raw data is " + data.length + " bytes but width " + width
                    + " x height " + height + " x " + dtype.bytes() + " byte(s) (" + dtype + ") = " + expected);
        }
        float[] values = dtype.type.toFloats(data, 0, (int) pixels, order);
        float[] out;
        String how;
        if (window != null) {
            out = window.apply(values);
            how = window.toString();
        } else if (dtype == Dtype.UINT8 || dtype == Dtype.UINT16) {
            double max = dtype == Dtype.UINT8 ? 255 : 65535;
            out = Intensity.scale(values, 0, max);
            how = "/" + (int) max;
        } else {
            double[] r = Intensity.finiteRange(values);
            out = Intensity.scale(values, r[0], r[1]);
            how = "min-max " + Window.fmt(r[0]) + ".." + Window.fmt(r[1]);
        }
        String endian = dtype.bytes() > 1 ? (order == ByteOrder.BIG_ENDIAN ? " big-endian" : " little-endian") : "";
        return new GrayImage(width, height, out, "raw " + dtype + endian + ", " + how);
    }
}
