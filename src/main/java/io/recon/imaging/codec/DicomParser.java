package io.recon.imaging.codec;

import io.recon.imaging.ImageFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Walks a DICOM Part 10 file: preamble and "DICM", the file meta group (always explicit VR little
 * endian), then the dataset in the transfer syntax the meta group names. It keeps the raw values of
 * the few top-level attributes the decoder needs and locates the pixel data; everything else,
 * sequences included, is skipped by length or by walking items to their delimiters.
 */
final class DicomParser {

    static final int PIXEL_DATA = 0x7FE00010;
    static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    static final int DOUBLE_PIXEL_DATA = 0x7FE00009;
    static final int TRANSFER_SYNTAX_UID = 0x00020010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_DELIMITATION = 0xFFFEE00D;
    private static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;
    /** Real files nest a handful of levels; the cap stops a crafted file from overflowing the stack. */
    private static final int MAX_DEPTH = 32;

    /** VRs whose explicit encoding has 2 reserved bytes and a 32-bit length. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    /** Where the pixel data lies in {@link Parsed#buffer}. */
    record PixelData(boolean encapsulated, int offset, int length, List<int[]> fragments, long[] basicOffsets) {
    }

    /**
     * The parse result.
     *
     * @param buffer    the bytes offsets refer to (the inflated dataset for deflated files)
     * @param syntax    the transfer syntax the dataset was read with
     * @param values    raw value bytes of the wanted top-level attributes, keyed by tag
     * @param pixelData the pixel data, or null when the file has none
     * @param floatPixelData whether a float/double pixel data element was seen instead
     */
    record Parsed(byte[] buffer, DicomTransferSyntax syntax, Map<Integer, byte[]> values, PixelData pixelData,
                  boolean floatPixelData) {
    }

    private record Header(int tag, String vr, long length, int valueOffset) {
    }

    private byte[] buf;
    private int pos;
    private boolean bigEndian;
    private final Set<Integer> wanted;
    private final long maxInflatedBytes;

    private DicomParser(byte[] buf, Set<Integer> wanted, long maxInflatedBytes) {
        this.buf = buf;
        this.wanted = wanted;
        this.maxInflatedBytes = maxInflatedBytes;
    }

    /**
     * Parses {@code data}, keeping the values of the {@code wanted} top-level tags.
     *
     * @throws ImageFormatException {@code corrupt_image} when this is not DICOM or its structure is
     *                              broken, {@code truncated_image}, {@code unsupported_image} for
     *                              compressed transfer syntaxes, {@code too_large} for deflate bombs
     */
    static Parsed parse(byte[] data, Set<Integer> wanted, long maxInflatedBytes) {
        return new DicomParser(data, wanted, maxInflatedBytes).parse();
    }

    private Parsed parse() {
        Map<Integer, byte[]> values = new HashMap<>();
        pos = start();
        String tsUid = null;
        boolean hasMeta = false;
        // File meta group: explicit VR little endian regardless of the dataset's syntax.
        while (pos + 8 <= buf.length && u16le(pos) == 0x0002) {
            hasMeta = true;
            Header h = header(true);
            requireDefined(h, "file meta element");
            requireAvailable(h);
            if (h.tag == TRANSFER_SYNTAX_UID) {
                tsUid = text(buf, h.valueOffset, (int) h.length);
                values.put(h.tag, slice(h.valueOffset, (int) h.length));
            }
            pos = h.valueOffset + (int) h.length;
        }
        DicomTransferSyntax syntax;
        if (tsUid == null || tsUid.isEmpty()) {
            // No meta group (or one without a Transfer Syntax UID): sniff, as most toolkits do,
            // whether the first dataset element carries a VR.
            syntax = looksExplicit(pos) ? DicomTransferSyntax.explicitLittleEndian()
                    : DicomTransferSyntax.implicitLittleEndian();
        } else {
            syntax = DicomTransferSyntax.of(tsUid);
        }
        if (!hasMeta && pos >= buf.length) {
            throw ImageFormatException.corrupt("DICOM file has no dataset after the preamble");
        }
        if (syntax.deflated()) {
            buf = inflate(buf, pos, buf.length - pos, maxInflatedBytes);
            pos = 0;
        }
        bigEndian = syntax.bigEndian();
        PixelData pixelData = null;
        boolean floatPixels = false;
        while (pos < buf.length) {
            if (buf.length - pos < 8 && allZero(pos)) {
                break; // trailing padding some writers leave
            }
            Header h = header(syntax.explicitVr());
            if ((h.tag >>> 16) == 0xFFFE) {
                throw ImageFormatException.corrupt(String.format(
                        "unexpected item tag (%04X,%04X) at top level, offset %d", h.tag >>> 16, h.tag & 0xffff,
                        h.valueOffset - 8));
            }
            if (h.tag == PIXEL_DATA) {
                pixelData = pixelData(h, syntax);
                break; // every attribute we need sorts before (7FE0,0010)
            }
            if (h.tag == FLOAT_PIXEL_DATA || h.tag == DOUBLE_PIXEL_DATA) {
                floatPixels = true;
            }
            if (h.length == UNDEFINED_LENGTH) {
                skipUndefined(h, syntax.explicitVr(), 0);
            } else {
                requireAvailable(h);
                if (wanted.contains(h.tag)) {
                    values.put(h.tag, slice(h.valueOffset, (int) h.length));
                }
                pos = h.valueOffset + (int) h.length;
            }
        }
        return new Parsed(buf, syntax, values, pixelData, floatPixels);
    }

    /** Offset of the first element: 132 after a preamble and "DICM", else 0 if the file starts with an element. */
    private int start() {
        if (buf.length >= 132 && buf[128] == 'D' && buf[129] == 'I' && buf[130] == 'C' && buf[131] == 'M') {
            return 132;
        }
        // Files written without the preamble: accept only if they open with a meta (0002) or
        // identifying (0008) group element, otherwise any binary blob would "parse".
        if (buf.length >= 8) {
            int group = u16le(0);
            if (group == 0x0002 && looksExplicit(0)) {
                return 0;
            }
            if (group == 0x0008 && u16le(2) < 0x0100) {
                return 0;
            }
        }
        throw ImageFormatException.corrupt("not a DICOM file: no \"DICM\" marker at offset 128 and the data does not "
                + "start with a group 0002/0008 element (first bytes " + PngImageDecoder.hex(buf, 8) + ")");
    }

    private boolean looksExplicit(int at) {
        if (at + 6 > buf.length) {
            return false;
        }
        char a = (char) buf[at + 4];
        char b = (char) buf[at + 5];
        return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
    }

    private boolean allZero(int from) {
        for (int i = from; i < buf.length; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private Header header(boolean explicitVr) {
        int at = pos;
        if (buf.length - pos < 8) {
            throw ImageFormatException.truncated("DICOM data ends at byte " + buf.length
                    + " inside an element header starting at offset " + at);
        }
        int group = u16(pos);
        int element = u16(pos + 2);
        int tag = (group << 16) | element;
        if (group == 0xFFFE) {
            // Item and delimitation tags never carry a VR, whatever the syntax.
            long len = u32(pos + 4);
            pos += 8;
            return new Header(tag, null, len, pos);
        }
        if (!explicitVr) {
            long len = u32(pos + 4);
            pos += 8;
            return new Header(tag, null, len, pos);
        }
        String vr = new String(buf, pos + 4, 2, StandardCharsets.ISO_8859_1);
        if (!Character.isUpperCase(vr.charAt(0)) || !Character.isUpperCase(vr.charAt(1))) {
            throw ImageFormatException.corrupt(String.format("element (%04X,%04X) at offset %d has an invalid VR "
                    + "(bytes %02x %02x); is the transfer syntax right?", group, element, at,
                    buf[pos + 4] & 0xff, buf[pos + 5] & 0xff));
        }
        if (LONG_VRS.contains(vr)) {
            if (buf.length - pos < 12) {
                throw ImageFormatException.truncated("DICOM data ends at byte " + buf.length
                        + " inside the header of element " + tagName(tag));
            }
            long len = u32(pos + 8);
            pos += 12;
            return new Header(tag, vr, len, pos);
        }
        long len = u16(pos + 6);
        pos += 8;
        return new Header(tag, vr, len, pos);
    }

    /** Skips an undefined-length element: a sequence, or encapsulated data shaped like one. */
    private void skipUndefined(Header h, boolean explicitVr, int depth) {
        if (explicitVr && h.vr != null && !h.vr.equals("SQ") && !h.vr.equals("UN")
                && !h.vr.equals("OB") && !h.vr.equals("OW")) {
            throw ImageFormatException.corrupt("element " + tagName(h.tag) + " with VR " + h.vr
                    + " has undefined length, which only sequences may have");
        }
        // PS3.5 6.2.2: an undefined-length UN element is a sequence encoded in implicit VR LE.
        boolean nestedExplicit = explicitVr && !"UN".equals(h.vr);
        skipSequence(nestedExplicit, depth + 1, h.tag);
    }

    private void skipSequence(boolean explicitVr, int depth, int owner) {
        if (depth > MAX_DEPTH) {
            throw ImageFormatException.corrupt("sequences nested deeper than " + MAX_DEPTH + " levels");
        }
        while (true) {
            if (buf.length - pos < 8) {
                throw ImageFormatException.truncated("DICOM data ends at byte " + buf.length
                        + " inside sequence " + tagName(owner) + " (no sequence delimitation item)");
            }
            int at = pos;
            int tag = (u16(pos) << 16) | u16(pos + 2);
            long len = u32(pos + 4);
            pos += 8;
            if (tag == SEQUENCE_DELIMITATION) {
                return;
            }
            if (tag != ITEM) {
                throw ImageFormatException.corrupt("expected an item (FFFE,E000) inside sequence " + tagName(owner)
                        + " at offset " + at + ", found " + tagName(tag));
            }
            if (len == UNDEFINED_LENGTH) {
                skipItem(explicitVr, depth, owner);
            } else {
                requireAvailable(new Header(tag, null, len, pos));
                pos += (int) len;
            }
        }
    }

    private void skipItem(boolean explicitVr, int depth, int owner) {
        while (true) {
            Header h = header(explicitVr);
            if (h.tag == ITEM_DELIMITATION) {
                return;
            }
            if (h.tag == ITEM || h.tag == SEQUENCE_DELIMITATION) {
                throw ImageFormatException.corrupt("item in sequence " + tagName(owner) + " lacks its item "
                        + "delimitation before offset " + (h.valueOffset - 8));
            }
            if (h.length == UNDEFINED_LENGTH) {
                skipUndefined(h, explicitVr, depth);
            } else {
                requireAvailable(h);
                pos = h.valueOffset + (int) h.length;
            }
        }
    }

    private PixelData pixelData(Header h, DicomTransferSyntax syntax) {
        if (h.length != UNDEFINED_LENGTH) {
            if (syntax.rle()) {
                throw ImageFormatException.corrupt("RLE transfer syntax but Pixel Data (7FE0,0010) is not "
                        + "encapsulated (it has a defined length of " + h.length + ")");
            }
            if (h.valueOffset + h.length > buf.length) {
                throw ImageFormatException.truncated("Pixel Data (7FE0,0010) declares " + h.length
                        + " bytes but the file ends after " + (buf.length - h.valueOffset));
            }
            return new PixelData(false, h.valueOffset, (int) h.length, List.of(), new long[0]);
        }
        if (!syntax.rle()) {
            throw ImageFormatException.corrupt("Pixel Data (7FE0,0010) has undefined length (encapsulated) but "
                    + "the transfer syntax " + syntax.uid() + " is native");
        }
        List<int[]> fragments = new ArrayList<>();
        long[] offsets = null;
        while (true) {
            if (buf.length - pos < 8) {
                throw ImageFormatException.truncated("DICOM data ends at byte " + buf.length
                        + " inside the encapsulated Pixel Data (no sequence delimitation item)");
            }
            int tag = (u16(pos) << 16) | u16(pos + 2);
            long len = u32(pos + 4);
            pos += 8;
            if (tag == SEQUENCE_DELIMITATION) {
                break;
            }
            if (tag != ITEM || len == UNDEFINED_LENGTH) {
                throw ImageFormatException.corrupt("encapsulated Pixel Data holds " + tagName(tag)
                        + " at offset " + (pos - 8) + " where a defined-length fragment item was expected");
            }
            requireAvailable(new Header(tag, null, len, pos));
            if (offsets == null) {
                // The first item is the Basic Offset Table (often empty).
                offsets = new long[(int) len / 4];
                for (int i = 0; i < offsets.length; i++) {
                    offsets[i] = u32(pos + 4 * i);
                }
            } else {
                fragments.add(new int[] {pos, (int) len});
            }
            pos += (int) len;
        }
        return new PixelData(true, 0, 0, fragments, offsets == null ? new long[0] : offsets);
    }

    private static void requireDefined(Header h, String what) {
        if (h.length == UNDEFINED_LENGTH) {
            throw ImageFormatException.corrupt(what + " " + tagName(h.tag) + " has undefined length");
        }
    }

    private void requireAvailable(Header h) {
        if (h.valueOffset + h.length > buf.length) {
            throw ImageFormatException.truncated("DICOM data ends at byte " + buf.length + " inside element "
                    + tagName(h.tag) + ", which declares " + h.length + " bytes from offset " + h.valueOffset);
        }
    }

    private static byte[] inflate(byte[] data, int offset, int length, long max) {
        Inflater inflater = new Inflater(true); // raw deflate, no zlib header (PS3.5 A.5)
        try {
            inflater.setInput(data, offset, length);
            // Grown by doubling but never past the limit: a ByteArrayOutputStream would double a
            // 64 MB buffer to 128 MB just below a 65 MB limit.
            byte[] out = new byte[(int) Math.min(max, Math.max(64, length * 4L))];
            int size = 0;
            while (!inflater.finished()) {
                if (size == out.length) {
                    if (size >= max) {
                        throw ImageFormatException.tooLarge("deflated DICOM dataset inflates to more than " + max
                                + " bytes");
                    }
                    out = java.util.Arrays.copyOf(out, (int) Math.min(max, 2L * out.length));
                }
                int n = inflater.inflate(out, size, out.length - size);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw ImageFormatException.truncated("deflated DICOM dataset ends before the deflate stream does");
                }
                size += n;
            }
            return size == out.length ? out : java.util.Arrays.copyOf(out, size);
        } catch (DataFormatException e) {
            throw new ImageFormatException(ImageFormatException.CORRUPT,
                    "deflated DICOM dataset is not a valid deflate stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private byte[] slice(int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(buf, offset, out, 0, length);
        return out;
    }

    static String text(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1).replace("\0", "").trim();
    }

    static String tagName(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xffff);
    }

    private int u16le(int at) {
        return (buf[at] & 0xff) | (buf[at + 1] & 0xff) << 8;
    }

    private int u16(int at) {
        return bigEndian ? (buf[at] & 0xff) << 8 | (buf[at + 1] & 0xff) : u16le(at);
    }

    private long u32(int at) {
        long a = buf[at] & 0xff;
        long b = buf[at + 1] & 0xff;
        long c = buf[at + 2] & 0xff;
        long d = buf[at + 3] & 0xff;
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
    }
}
