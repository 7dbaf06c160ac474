package io.recon.imaging.codec;

import io.recon.imaging.ImageFormatException;

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a frame is a 64-byte header (segment count and up to 15
 * segment offsets, little endian) followed by PackBits-coded segments, one per byte plane: for each
 * sample, the most significant byte plane first.
 */
final class RleDecoder {

    private RleDecoder() {
    }

    /**
     * Decodes one frame.
     *
     * @param data          the buffer holding the frame's fragment
     * @param offset        fragment start
     * @param length        fragment length
     * @param pixels        rows x columns
     * @param expectedPlanes samples per pixel x bytes per sample
     * @return one array of {@code pixels} bytes per byte plane, in segment order
     */
    static byte[][] decode(byte[] data, int offset, int length, int pixels, int expectedPlanes) {
        if (length < 64) {
            throw ImageFormatException.corrupt("RLE fragment is " + length + " bytes, shorter than its 64-byte header");
        }
        int segments = (int) u32le(data, offset);
        if (segments != expectedPlanes) {
            throw ImageFormatException.corrupt("RLE header declares " + segments + " segments but SamplesPerPixel x "
                    + "BitsAllocated/8 needs " + expectedPlanes);
        }
        byte[][] planes = new byte[segments][];
        for (int s = 0; s < segments; s++) {
            long start = u32le(data, offset + 4 + 4 * s);
            long end = s + 1 < segments ? u32le(data, offset + 8 + 4 * s) : length;
            if (start < 64 || end > length || start > end) {
                throw ImageFormatException.corrupt("RLE segment " + s + " has offsets " + start + ".." + end
                        + " outside the " + length + "-byte fragment");
            }
            planes[s] = unpack(data, offset + (int) start, (int) (end - start), pixels, s);
        }
        return planes;
    }

    /** PackBits: n in 0..127 copies n+1 literal bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
    private static byte[] unpack(byte[] data, int offset, int length, int expected, int segment) {
        byte[] out = new byte[expected];
        int o = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && o < expected) {
            int n = data[i++];
            if (n >= 0) {
                int count = n + 1;
                if (i + count > end) {
                    throw ImageFormatException.corrupt("RLE segment " + segment + " literal run overruns its segment");
                }
                int copy = Math.min(count, expected - o);
                System.arraycopy(data, i, out, o, copy);
                o += copy;
                i += count;
            } else if (n != -128) {
                if (i >= end) {
                    throw ImageFormatException.corrupt("RLE segment " + segment + " ends inside a replicate run");
                }
                int count = 1 - n;
                byte value = data[i++];
                int fill = Math.min(count, expected - o);
                java.util.Arrays.fill(out, o, o + fill, value);
                o += fill;
            }
        }
        if (o < expected) {
            throw ImageFormatException.corrupt("RLE segment " + segment + " decodes to " + o + " bytes, expected "
                    + expected + " (Rows x Columns)");
        }
        return out;
    }

    private static long u32le(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
