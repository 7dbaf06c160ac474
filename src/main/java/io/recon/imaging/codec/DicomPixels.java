package io.recon.imaging.codec;

import io.recon.imaging.ImageFormatException;
import java.io.ByteArrayOutputStream;
import java.util.List;

/** Extracts one frame's stored values from native or RLE pixel data. */
final class DicomPixels {

    private DicomPixels() {
    }

    /**
     * Stored values of one frame, masked to BitsStored and sign-extended when signed. For colour
     * data, the luma (RGB) or Y (YBR_FULL) in stored units.
     */
    static double[] storedValues(DicomParser.Parsed parsed, PixelLayout layout, int frame) {
        int n = layout.pixels();
        int spp = layout.samples();
        int bps = layout.bytesPerSample();
        SampleSource source = parsed.pixelData().encapsulated() ? rle(parsed, layout, frame)
                : nativeSource(parsed, layout, frame);
        long mask = (1L << layout.bitsStored()) - 1; // bitsStored <= 32
        long signBit = 1L << (layout.bitsStored() - 1);
        double[] out = new double[n];
        for (int p = 0; p < n; p++) {
            if (spp == 1) {
                out[p] = toValue(source.sample(p, 0, bps), mask, signBit, layout.signed());
            } else {
                double c0 = toValue(source.sample(p, 0, bps), mask, signBit, false);
                if (layout.photometric().equals("YBR_FULL")) {
                    out[p] = c0; // Y is already the luma
                } else {
                    double g = toValue(source.sample(p, 1, bps), mask, signBit, false);
                    double b = toValue(source.sample(p, 2, bps), mask, signBit, false);
                    out[p] = 0.299 * c0 + 0.587 * g + 0.114 * b;
                }
            }
        }
        return out;
    }

    private static double toValue(long raw, long mask, long signBit, boolean signed) {
        long v = raw & mask;
        if (signed && (v & signBit) != 0) {
            v -= signBit << 1;
        }
        return v;
    }

    /** Reads sample {@code c} of pixel {@code p} as an unsigned integer of {@code bps} bytes. */
    private interface SampleSource {
        long sample(int p, int c, int bps);
    }

    private static SampleSource nativeSource(DicomParser.Parsed parsed, PixelLayout layout, int frame) {
        DicomParser.PixelData pd = parsed.pixelData();
        int n = layout.pixels();
        int spp = layout.samples();
        long frameBytes = (long) n * spp * layout.bytesPerSample();
        long needed = (frame + 1) * frameBytes;
        if (pd.length() < needed) {
            throw ImageFormatException.corrupt("Pixel Data holds " + pd.length() + " bytes but frame " + frame
                    + " needs bytes up to " + needed + " (Rows " + layout.rows() + " x Columns " + layout.columns()
                    + " x SamplesPerPixel " + spp + " x BitsAllocated/8 " + layout.bytesPerSample() + " = "
                    + frameBytes + " per frame)");
        }
        byte[] buf = parsed.buffer();
        int base = pd.offset() + (int) (frame * frameBytes);
        boolean big = parsed.syntax().bigEndian();
        boolean planar = layout.planarConfiguration() == 1 && spp > 1;
        return (p, c, bps) -> {
            int at = base + (planar ? c * n + p : p * spp + c) * bps;
            long v = 0;
            for (int i = 0; i < bps; i++) {
                int b = buf[at + (big ? i : bps - 1 - i)] & 0xff;
                v = v << 8 | b;
            }
            return v;
        };
    }

    private static SampleSource rle(DicomParser.Parsed parsed, PixelLayout layout, int frame) {
        Span span = frameBytes(parsed, layout.frames(), frame);
        byte[][] planes = RleDecoder.decode(span.data(), span.offset(), span.length(), layout.pixels(),
                layout.samples() * layout.bytesPerSample());
        return (p, c, bps) -> {
            long v = 0;
            for (int i = 0; i < bps; i++) {
                v = v << 8 | (planes[c * bps + i][p] & 0xff); // segments run most significant byte first
            }
            return v;
        };
    }

    private record Span(byte[] data, int offset, int length) {
    }

    /**
     * The encoded bytes of one frame: its single fragment (the rule for RLE), or the fragments the
     * Basic Offset Table assigns to it joined together.
     */
    private static Span frameBytes(DicomParser.Parsed parsed, int frames, int frame) {
        List<int[]> fragments = parsed.pixelData().fragments();
        if (fragments.isEmpty()) {
            throw ImageFormatException.corrupt("encapsulated Pixel Data has no fragments");
        }
        if (fragments.size() == frames) {
            int[] f = fragments.get(frame);
            return new Span(parsed.buffer(), f[0], f[1]);
        }
        if (frames == 1) {
            return join(parsed, 0, fragments.size());
        }
        long[] table = parsed.pixelData().basicOffsets();
        if (table.length == frames) {
            // Offsets count from the first fragment's item tag, 8 bytes before its data.
            int first = fragments.get(0)[0] - 8;
            long start = table[frame];
            long end = frame + 1 < frames ? table[frame + 1] : Long.MAX_VALUE;
            int from = -1;
            int to = -1;
            for (int i = 0; i < fragments.size(); i++) {
                long rel = fragments.get(i)[0] - 8 - first;
                if (rel >= start && rel < end) {
                    from = from < 0 ? i : from;
                    to = i + 1;
                }
            }
            if (from >= 0) {
                return join(parsed, from, to);
            }
        }
        throw ImageFormatException.corrupt("cannot find frame " + frame + " among " + fragments.size()
                + " RLE fragments for " + frames + " frames (no usable Basic Offset Table)");
    }

    private static Span join(DicomParser.Parsed parsed, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<int[]> fragments = parsed.pixelData().fragments();
        for (int i = from; i < to; i++) {
            out.write(parsed.buffer(), fragments.get(i)[0], fragments.get(i)[1]);
        }
        byte[] bytes = out.toByteArray();
        return new Span(bytes, 0, bytes.length);
    }
}
