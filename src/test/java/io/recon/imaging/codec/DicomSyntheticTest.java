package io.recon.imaging.codec;

import io.recon.imaging.ImageFormatException;
import io.recon.testing.TestFiles;
import io.recon.imaging.Window;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Structures that the real sample files do not cover, built byte by byte: sequences nested in
 * every encoding, UN sequences, hostile nesting depth, BitsStored masking and sign extension,
 * planar RGB, multi-valued window attributes.
 */
class DicomSyntheticTest {

    private static final String EXPLICIT = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT = "1.2.840.10008.1.2";
    private static final Set<String> LONG = Set.of("OB", "OW", "SQ", "UN", "UT");

    private final DicomImageDecoder decoder = new DicomImageDecoder();

    @Test
    void nestedUndefinedLengthSequencesInExplicitVr() {
        byte[] seq = sq(true, 0x0040, 0x0275,
                item(true, bytes(el(0x0008, 0x0100, "SH", "CODE"),
                        sq(true, 0x0040, 0x0008, item(true, sq(true, 0x0040, 0x0009,
                                item(true, el(0x0008, 0x0104, "LO", "deep"))))))),
                definedItem(el(0x0008, 0x0100, "SH", "X1")));
        byte[] file = file(EXPLICIT, bytes(el(0x0008, 0x0060, "CS", "CT"), seq, grayImage(true, 2, 2, 16, 16, 1,
                new int[] {-1000, 0, 40, 1000})));
        DicomImage d = decoder.decode(file);
        assertArrayEquals(new float[] {-1000, 0, 40, 1000}, d.modalityValues());
        assertEquals("CT", d.modality());
    }

    @Test
    void nestedUndefinedLengthSequencesInImplicitVr() {
        // A private tag with undefined length: implicit VR gives no VR, so it must be read as a sequence.
        byte[] seq = sq(false, 0x0029, 0x1010, item(false, sq(false, 0x0029, 0x1011,
                item(false, el(false, 0x0029, 0x1012, "abcd".getBytes())))), item(false, new byte[0]));
        byte[] file = file(IMPLICIT, bytes(seq, grayImage(false, 2, 1, 16, 16, 0, new int[] {7, 65535})));
        assertArrayEquals(new float[] {7, 65535}, decoder.decode(file).modalityValues());
    }

    @Test
    void undefinedLengthUnIsParsedAsAnImplicitVrSequence() {
        // PS3.5 6.2.2: explicit-VR file, element with VR UN and undefined length, content in implicit VR.
        byte[] content = item(false, sq(false, 0x0029, 0x1020, item(false, el(false, 0x0029, 0x1021, new byte[] {1, 2}))));
        byte[] un = bytes(tagBytes(0x0029, 0x1010), "UN".getBytes(), new byte[2], le32(-1), content,
                tagBytes(0xFFFE, 0xE0DD), le32(0));
        byte[] file = file(EXPLICIT, bytes(un, grayImage(true, 1, 1, 8, 8, 0, new int[] {200})));
        assertArrayEquals(new float[] {200}, decoder.decode(file).modalityValues());
    }

    @Test
    void hostileNestingAndBrokenSequencesAreRefused() {
        byte[] inner = item(true, el(0x0008, 0x0104, "LO", "x"));
        for (int i = 0; i < 40; i++) {
            inner = item(true, sq(true, 0x0040, 0x0008, inner));
        }
        byte[] deep = file(EXPLICIT, bytes(sq(true, 0x0040, 0x0275, inner), grayImage(true, 1, 1, 8, 8, 0, new int[] {1})));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(deep));
        assertEquals("corrupt_image", e.reason());
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());

        byte[] seq = sq(true, 0x0040, 0x0275, item(true, el(0x0008, 0x0104, "LO", "x")));
        byte[] unterminated = file(EXPLICIT, java.util.Arrays.copyOf(seq, seq.length - 8)); // no (FFFE,E0DD)
        assertEquals("truncated_image", assertThrows(ImageFormatException.class, () -> decoder.decode(unterminated)).reason());

        byte[] notAnItem = bytes(tagBytes(0x0040, 0x0275), "SQ".getBytes(), new byte[2], le32(-1),
                el(0x0008, 0x0060, "CS", "CT"));
        ImageFormatException bad = assertThrows(ImageFormatException.class, () -> decoder.decode(file(EXPLICIT, notAnItem)));
        assertEquals("corrupt_image", bad.reason());
        assertTrue(bad.getMessage().contains("expected an item"), bad.getMessage());
    }

    @Test
    void bitsStoredMasksHighBitsAndSignExtends() {
        // 12 of 16 bits stored, signed: garbage in the top nibble (overlay bits) must be ignored.
        int[] raw = {0x0FFF, 0x0800, 0x07FF, 0xA7FF, 0x0000};
        byte[] file = file(EXPLICIT, grayImage(true, 5, 1, 16, 12, 1, raw));
        assertArrayEquals(new float[] {-1, -2048, 2047, 2047, 0}, decoder.decode(file).modalityValues());
        byte[] unsigned = file(EXPLICIT, grayImage(true, 5, 1, 16, 12, 0, raw));
        assertArrayEquals(new float[] {4095, 2048, 2047, 2047, 0}, decoder.decode(unsigned).modalityValues());
    }

    @Test
    void rescaleAndMultiValuedWindowUseTheFirstValue() {
        byte[] file = file(EXPLICIT, bytes(
                el(0x0028, 0x1050, "DS", "40\\400 "), el(0x0028, 0x1051, "DS", "80\\2000"),
                el(0x0028, 0x1052, "DS", "-1024 "), el(0x0028, 0x1053, "DS", "2 "),
                grayImage(true, 3, 1, 16, 16, 0, new int[] {512, 532, 600})));
        DicomImage d = decoder.decode(file);
        assertArrayEquals(new float[] {0, 40, 176}, d.modalityValues()); // 2 * v - 1024
        assertEquals(0f, d.image().pixels()[0]);
        assertEquals(new Window(40, 80).applyDicom(40), d.image().pixels()[1]);
        assertEquals(1f, d.image().pixels()[2]);

        byte[] badSlope = file(EXPLICIT, bytes(el(0x0028, 0x1053, "DS", "two"),
                grayImage(true, 1, 1, 8, 8, 0, new int[] {1})));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(badSlope));
        assertEquals("corrupt_image", e.reason());
        assertTrue(e.getMessage().contains("RescaleSlope"), e.getMessage());

        byte[] badWindow = file(EXPLICIT, bytes(el(0x0028, 0x1050, "DS", "abc"), el(0x0028, 0x1051, "DS", "80"),
                grayImage(true, 2, 1, 8, 8, 0, new int[] {10, 20})));
        assertTrue(decoder.decode(badWindow).image().description().contains("min-max 10..20"));
    }

    @Test
    void monochrome1WithoutWindowIsInvertedMinMax() {
        byte[] file = file(EXPLICIT, grayImage(true, 3, 1, 8, 8, 0, new int[] {0, 50, 100}, "MONOCHROME1"));
        assertArrayEquals(new float[] {1f, 0.5f, 0f}, decoder.decode(file).image().pixels(), 1e-6f);
    }

    @Test
    void planarAndInterleavedRgbGiveTheSameLuma() {
        int[][] rgb = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 20, 30}};
        ByteArrayOutputStream interleaved = new ByteArrayOutputStream();
        ByteArrayOutputStream planar = new ByteArrayOutputStream();
        for (int[] p : rgb) {
            for (int c : p) {
                interleaved.write(c);
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int[] p : rgb) {
                planar.write(p[c]);
            }
        }
        float[] expected = {0.299f * 255, 0.587f * 255, 0.114f * 255, 0.299f * 10 + 0.587f * 20 + 0.114f * 30};
        for (int config = 0; config < 2; config++) {
            byte[] pixels = (config == 0 ? interleaved : planar).toByteArray();
            byte[] file = file(EXPLICIT, bytes(el(0x0028, 0x0002, "US", le16(3)), el(0x0028, 0x0004, "CS", "RGB"),
                    el(0x0028, 0x0006, "US", le16(config)), el(0x0028, 0x0010, "US", le16(2)),
                    el(0x0028, 0x0011, "US", le16(2)), el(0x0028, 0x0100, "US", le16(8)),
                    el(0x0028, 0x0101, "US", le16(8)), el(0x0028, 0x0103, "US", le16(0)),
                    el(0x7FE0, 0x0010, "OB", pixels)));
            assertArrayEquals(expected, decoder.decode(file).modalityValues(), 1e-3f, "planar " + config);
        }
    }

    @Test
    void pixelDataShorterThanDeclaredImageIsCorrupt() {
        byte[] image = grayImage(true, 4, 4, 16, 16, 0, new int[16]);
        // Rewrite Rows from 4 to 8: the 32 bytes of pixel data no longer cover the image.
        byte[] file = file(EXPLICIT, image);
        byte[] rows = bytes(tagBytes(0x0028, 0x0010), "US".getBytes(), le16(2), le16(4));
        int at = TestFiles.indexOf(file, rows);
        file[at + 8] = 8;
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(file));
        assertEquals("corrupt_image", e.reason());
        assertTrue(e.getMessage().contains("Pixel Data holds 32 bytes"), e.getMessage());
    }

    // ---- builders (little endian) ----

    static byte[] file(String transferSyntax, byte[] dataset) {
        byte[] uid = evenPad(transferSyntax.getBytes(StandardCharsets.US_ASCII), (byte) 0);
        byte[] meta = el(0x0002, 0x0010, "UI", uid);
        return bytes(new byte[128], "DICM".getBytes(), el(0x0002, 0x0000, "UL", le32(meta.length)), meta, dataset);
    }

    private static byte[] grayImage(boolean explicit, int cols, int rows, int allocated, int stored, int signed, int[] values) {
        return grayImage(explicit, cols, rows, allocated, stored, signed, values, "MONOCHROME2");
    }

    private static byte[] grayImage(boolean explicit, int cols, int rows, int allocated, int stored, int signed,
                                    int[] values, String photometric) {
        ByteBuffer px = ByteBuffer.allocate(values.length * allocated / 8 + 1).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (allocated == 8) {
                px.put((byte) v);
            } else {
                px.putShort((short) v);
            }
        }
        byte[] pixels = evenPad(java.util.Arrays.copyOf(px.array(), px.position()), (byte) 0);
        return bytes(
                el(explicit, 0x0028, 0x0002, "US", le16(1)),
                el(explicit, 0x0028, 0x0004, "CS", evenPad(photometric.getBytes(), (byte) ' ')),
                el(explicit, 0x0028, 0x0010, "US", le16(rows)),
                el(explicit, 0x0028, 0x0011, "US", le16(cols)),
                el(explicit, 0x0028, 0x0100, "US", le16(allocated)),
                el(explicit, 0x0028, 0x0101, "US", le16(stored)),
                el(explicit, 0x0028, 0x0103, "US", le16(signed)),
                el(explicit, 0x7FE0, 0x0010, allocated == 8 ? "OB" : "OW", pixels));
    }

    private static byte[] el(int group, int element, String vr, String text) {
        return el(true, group, element, vr, evenPad(text.getBytes(StandardCharsets.US_ASCII), (byte) ' '));
    }

    private static byte[] el(int group, int element, String vr, byte[] value) {
        return el(true, group, element, vr, value);
    }

    private static byte[] el(boolean explicit, int group, int element, byte[] value) {
        return el(explicit, group, element, "UN", value);
    }

    private static byte[] el(boolean explicit, int group, int element, String vr, byte[] value) {
        if (!explicit) {
            return bytes(tagBytes(group, element), le32(value.length), value);
        }
        if (LONG.contains(vr)) {
            return bytes(tagBytes(group, element), vr.getBytes(), new byte[2], le32(value.length), value);
        }
        return bytes(tagBytes(group, element), vr.getBytes(), le16(value.length), value);
    }

    /** An undefined-length sequence of the given items, closed by a sequence delimitation item. */
    private static byte[] sq(boolean explicit, int group, int element, byte[]... items) {
        byte[] header = explicit ? bytes(tagBytes(group, element), "SQ".getBytes(), new byte[2], le32(-1))
                : bytes(tagBytes(group, element), le32(-1));
        return bytes(header, bytes(items), tagBytes(0xFFFE, 0xE0DD), le32(0));
    }

    /** An undefined-length item closed by an item delimitation item. */
    private static byte[] item(boolean explicit, byte[] content) {
        return bytes(tagBytes(0xFFFE, 0xE000), le32(-1), content, tagBytes(0xFFFE, 0xE00D), le32(0));
    }

    private static byte[] definedItem(byte[] content) {
        return bytes(tagBytes(0xFFFE, 0xE000), le32(content.length), content);
    }

    private static byte[] tagBytes(int group, int element) {
        return bytes(le16(group), le16(element));
    }

    private static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static byte[] evenPad(byte[] b, byte pad) {
        if (b.length % 2 == 0) {
            return b;
        }
        byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
        out[b.length] = pad;
        return out;
    }

    private static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
