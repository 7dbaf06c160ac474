package io.recon.imaging;

import io.recon.imaging.codec.PngImageDecoder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class GrayImageTest {

    private static GrayImage image(int w, int h, float... px) {
        return GrayImage.fromPixels(w, h, px, "test");
    }

    @Test
    void rejectsWrongPixelCountAndValuesOutsideUnitRange() {
        assertThrows(IllegalArgumentException.class, () -> image(2, 2, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> image(0, 1));
        assertThrows(IllegalArgumentException.class, () -> image(1, 1, 1.5f));
        assertThrows(IllegalArgumentException.class, () -> image(1, 1, -0.1f));
        assertThrows(IllegalArgumentException.class, () -> image(1, 1, Float.NaN));
    }

    @Test
    void fromPixelsCopiesAndGetIsRowMajor() {
        float[] px = {0f, 0.25f, 0.5f, 1f, 0.75f, 0.125f};
        GrayImage img = GrayImage.fromPixels(3, 2, px, "d");
        px[0] = 1f;
        assertEquals(0f, img.get(0, 0));
        assertEquals(1f, img.get(0, 1));
        assertEquals(0.125f, img.get(2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> img.get(3, 0));
        assertEquals((0 + 0.25 + 0.5 + 1 + 0.75 + 0.125) / 6, img.mean(), 1e-7);
        assertEquals(img, GrayImage.fromPixels(3, 2, img.pixels(), "d"));
        assertEquals(img.hashCode(), GrayImage.fromPixels(3, 2, img.pixels(), "d").hashCode());
        assertTrue(img.toString().contains("3x2"));
    }

    @Test
    void bothAxisOrdersGiveTheSameImage() {
        // A tall image shrinks rows first, a wide one columns first: the transpose of one result
        // must be the other's (resampling is separable), so the order is only a memory choice.
        java.util.Random random = new java.util.Random(7);
        int w = 7;
        int h = 300;
        float[] tall = new float[w * h];
        float[] wide = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = random.nextFloat();
                tall[y * w + x] = v;
                wide[x * h + y] = v;
            }
        }
        GrayImage a = GrayImage.fromPixels(w, h, tall, "").resize(5, 12);
        GrayImage b = GrayImage.fromPixels(h, w, wide, "").resize(12, 5);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(a.get(x, y), b.get(y, x), 1e-5f, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void aOnePixelWideStripShrinksWithoutAHugeIntermediate() {
        // 1 x 4,194,304: resized columns first the intermediate would be 28 x 4,194,304 floats (470 MB).
        int h = 1 << 22;
        float[] px = new float[h];
        java.util.Arrays.fill(px, h / 2, h, 1f);
        Runtime rt = Runtime.getRuntime();
        GrayImage strip = GrayImage.fromPixels(1, h, px, "");
        long before = rt.totalMemory() - rt.freeMemory();
        GrayImage small = strip.resize(28, 28);
        long grew = (rt.totalMemory() - rt.freeMemory()) - before;
        assertEquals(0f, small.get(0, 0), 1e-6f);
        assertEquals(1f, small.get(27, 27), 1e-6f);
        assertTrue(grew < 200L << 20, "resizing allocated " + (grew >> 20) + " MB");
    }

    @Test
    void shrinkingByTwoAveragesBlocks() {
        // 4x4 of 2x2 blocks with values a b / c d: each output pixel is exactly one block.
        GrayImage img = image(4, 4,
                0.0f, 0.2f, 1.0f, 1.0f,
                0.4f, 0.2f, 1.0f, 1.0f,
                0.5f, 0.5f, 0.1f, 0.3f,
                0.5f, 0.5f, 0.3f, 0.1f);
        GrayImage small = img.resize(2, 2);
        assertArrayEquals(new float[] {0.2f, 1.0f, 0.5f, 0.2f}, small.pixels(), 1e-6f);
        assertTrue(small.description().contains("resized 4x4->2x2"));
    }

    @Test
    void shrinkingByFractionalFactorWeighsPartialPixels() {
        // 3 -> 2: output 0 covers source [0, 1.5): (1*0 + 0.5*1) / 1.5; output 1 covers [1.5, 3).
        GrayImage img = image(3, 1, 0f, 1f, 0.5f);
        GrayImage out = img.resize(2, 1);
        assertArrayEquals(new float[] {1f / 3, (0.5f * 1 + 0.5f) / 1.5f}, out.pixels(), 1e-6f);
    }

    @Test
    void shrinkingKeepsTheMeanOfAnyImage() {
        float[] px = new float[28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) ((Math.sin(i * 0.37) + 1) / 2);
        }
        GrayImage img = GrayImage.fromPixels(28, 28, px, "");
        // 28 -> 7 and 28 -> 14 divide evenly, so area averaging preserves the mean exactly.
        assertEquals(img.mean(), img.resize(7, 7).mean(), 1e-6);
        assertEquals(img.mean(), img.resize(14, 7).mean(), 1e-6);
    }

    @Test
    void growingInterpolatesBilinearlyBetweenPixelCentres() {
        GrayImage img = image(2, 1, 0f, 1f);
        // 2 -> 4: output centres map to source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, img.resize(4, 1).pixels(), 1e-6f);
        // 2x2 -> 3x3: the centre is the average of all four.
        GrayImage sq = image(2, 2, 0f, 1f, 1f, 0f);
        GrayImage big = sq.resize(3, 3);
        assertEquals(0.5f, big.get(1, 1), 1e-6f);
        assertEquals(0f, big.get(0, 0), 1e-6f);
        assertEquals(0.5f, big.get(1, 0), 1e-6f);
    }

    @Test
    void constantImagesStayConstantAndSameSizeIsIdentity() {
        float[] px = new float[5 * 3];
        java.util.Arrays.fill(px, 0.6f);
        GrayImage img = GrayImage.fromPixels(5, 3, px, "");
        for (int[] size : new int[][] {{2, 2}, {11, 7}, {5, 9}, {1, 1}}) {
            GrayImage r = img.resize(size[0], size[1]);
            for (float v : r.pixels()) {
                assertEquals(0.6f, v, 1e-6f);
            }
        }
        assertSame(img, img.resize(5, 3));
        assertThrows(IllegalArgumentException.class, () -> img.resize(0, 3));
    }

    @Test
    void shrinkOneAxisWhileGrowingTheOther() {
        // Columns halve (area), rows double (bilinear).
        GrayImage img = image(4, 1, 0f, 1f, 0f, 1f);
        GrayImage r = img.resize(2, 2);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, r.pixels(), 1e-6f);
    }

    @Test
    void pngRoundTripIsExactTo8Bits() throws IOException {
        float[] px = new float[16 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = i / 255f;
        }
        GrayImage img = GrayImage.fromPixels(16, 16, px, "ramp");
        byte[] png = img.toPng();
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, back.getType());
        assertEquals(16, back.getWidth());
        assertEquals(200, back.getRaster().getSample(200 % 16, 200 / 16, 0));
        GrayImage decoded = new PngImageDecoder().decode(png);
        assertArrayEquals(img.pixels(), decoded.pixels(), 0.5f / 255);
        assertNotSame(img, decoded);
    }
}
