package io.recon.imaging.codec;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.testing.TestFiles;
import io.recon.imaging.Window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class PngImageDecoderTest {

    private final PngImageDecoder decoder = new PngImageDecoder();

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "no ImageIO writer for " + format);
        return out.toByteArray();
    }

    @Test
    void gray8BitIsDividedBy255() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] values = {0, 51, 255, 128, 1, 254};
        img.getRaster().setPixels(0, 0, 3, 2, values);
        GrayImage g = decoder.decode(encode(img, "png"));
        assertEquals(3, g.width());
        assertEquals(2, g.height());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i] / 255f, g.pixels()[i], 1e-6f);
        }
        assertTrue(g.description().startsWith("png 8-bit gray"), g.description());
    }

    @Test
    void gray16BitKeepsFullPrecision() throws IOException {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = {0, 1, 32768, 65535};
        img.getRaster().setPixels(0, 0, 2, 2, values);
        GrayImage g = decoder.decode(encode(img, "png"));
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i] / 65535.0, g.pixels()[i], 1e-7);
        }
        assertTrue(g.description().contains("16-bit gray"), g.description());
    }

    @Test
    void rgbAndRgbaBecomeRec601Luma() throws IOException {
        BufferedImage rgb = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xff0000);
        rgb.setRGB(1, 0, 0x00ff00);
        rgb.setRGB(2, 0, 0x0000ff);
        rgb.setRGB(3, 0, 0xffffff);
        GrayImage g = decoder.decode(encode(rgb, "png"));
        assertEquals(0.299f, g.pixels()[0], 1e-6f);
        assertEquals(0.587f, g.pixels()[1], 1e-6f);
        assertEquals(0.114f, g.pixels()[2], 1e-6f);
        assertEquals(1f, g.pixels()[3], 1e-6f);

        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x00ff0000); // fully transparent red: alpha is ignored
        rgba.setRGB(1, 0, 0xff808080);
        GrayImage ga = decoder.decode(encode(rgba, "png"));
        assertEquals(0.299f, ga.pixels()[0], 1e-6f);
        assertEquals(128 / 255f, ga.pixels()[1], 1e-6f);
    }

    @Test
    void paletteBmpAndJpegAreReadToo() throws IOException {
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0x000000);
        indexed.setRGB(1, 0, 0xffffff);
        GrayImage gi = decoder.decode(encode(indexed, "png"));
        assertEquals(0f, gi.pixels()[0], 1e-6f);
        assertEquals(1f, gi.pixels()[1], 1e-6f);

        BufferedImage rgb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                rgb.setRGB(x, y, 0x336699);
            }
        }
        GrayImage bmp = decoder.decode(encode(rgb, "bmp"));
        assertTrue(bmp.description().startsWith("bmp"), bmp.description());
        float luma = (0.299f * 0x33 + 0.587f * 0x66 + 0.114f * 0x99) / 255f;
        assertEquals(luma, bmp.get(3, 3), 1e-5f);

        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                gray.getRaster().setSample(x, y, 0, 128);
            }
        }
        GrayImage jpg = decoder.decode(encode(gray, "jpeg"));
        assertTrue(jpg.description().startsWith("jpeg"), jpg.description());
        assertEquals(128 / 255.0, jpg.mean(), 2 / 255.0); // lossy, but a flat field survives
    }

    @Test
    void realCtSliceSurvivesPngRoundTrip() {
        // A real CT slice (pydicom's CT_small) windowed, exported for debugging, and read back.
        GrayImage ct = new DicomImageDecoder().decode(TestFiles.bytes("CT_small.dcm"), 0, Window.CT_SOFT_TISSUE).image();
        GrayImage back = decoder.decode(ct.toPng());
        assertEquals(128, back.width());
        for (int i = 0; i < ct.pixels().length; i++) {
            assertEquals(ct.pixels()[i], back.pixels()[i], 0.5f / 255 + 1e-6f);
        }
    }

    @Test
    void pixelLimitIsCheckedFromTheHeaderBeforeDecoding() throws IOException {
        // A 70-byte PNG that claims 100000 x 100000 pixels (and has no image data at all): refused
        // as too_large from IHDR alone, not as truncated after trying to allocate 10^10 pixels.
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(pngHeaderOnly(100_000, 100_000)));
        assertEquals("too_large", e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());

        BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_GRAY);
        byte[] png = encode(img, "png");
        assertEquals(100, new PngImageDecoder(10_000).decode(png).width());
        assertEquals("too_large", assertThrows(ImageFormatException.class,
                () -> new PngImageDecoder(9_999).decode(png)).reason());
    }

    @Test
    void truncatedPngIsReportedAsTruncated() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(7);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.getRaster().setSample(x, y, 0, r.nextInt(256)); // noise: incompressible
            }
        }
        byte[] png = encode(img, "png");
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> decoder.decode(TestFiles.head(png, png.length / 2)));
        assertEquals("truncated_image", e.reason(), e.getMessage());
    }

    @Test
    void garbageIsCorrupt() {
        assertEquals("corrupt_image", assertThrows(ImageFormatException.class,
                () -> decoder.decode("not an image at all".getBytes(StandardCharsets.US_ASCII))).reason());
        assertEquals("corrupt_image", assertThrows(ImageFormatException.class,
                () -> decoder.decode(new byte[0])).reason());
        ImageFormatException text = assertThrows(ImageFormatException.class,
                () -> decoder.decode("GIF? no, plain text".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(text.getMessage().contains("match no ImageIO reader"), text.getMessage());
        // pydicom's MR_small has a TIFF header in its DICOM preamble; it must be recognised as DICOM,
        // not half-read as a broken TIFF.
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> decoder.decode(TestFiles.bytes("MR_small.dcm")));
        assertEquals("corrupt_image", e.reason());
        assertTrue(e.getMessage().contains("send it with encoding 'dicom'"), e.getMessage());
    }

    @Test
    void pngWithBrokenChunkIsCorruptOrTruncatedNeverAnotherException() throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        byte[] png = encode(img, "png");
        Random r = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            byte[] copy = png.clone();
            int at = 8 + r.nextInt(copy.length - 8);
            copy[at] ^= (byte) (1 + r.nextInt(255));
            try {
                decoder.decode(copy);
            } catch (ImageFormatException e) {
                assertTrue(e.reason().equals("corrupt_image") || e.reason().equals("truncated_image")
                        || e.reason().equals("too_large"), e.reason());
            }
        }
    }

    /** PNG signature, an IHDR for an 8-bit gray image of the given size, and IEND. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
        byte[] iend = "IEND".getBytes(StandardCharsets.US_ASCII);
        b.putInt(0).put(iend).putInt(crc(iend));
        return b.array();
    }

    private static int crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return (int) c.getValue();
    }
}
