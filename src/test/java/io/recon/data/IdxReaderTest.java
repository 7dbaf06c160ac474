package io.recon.data;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.testing.TestFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class IdxReaderTest {

    private static byte[] idx(int magic, int[] dims, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(body).array();
    }

    @Test
    void readsImagesAndLabelsPlainOrGzipped() {
        byte[] body = new byte[2 * 2 * 3];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 20);
        }
        byte[] images = idx(0x00000803, new int[] {2, 2, 3}, body);
        for (byte[] data : new byte[][] {images, TestFiles.gzip(images)}) {
            IdxImages set = IdxReader.readImages(data);
            assertEquals(2, set.count());
            assertEquals(2, set.rows());
            assertEquals(3, set.cols());
            assertEquals(220, set.pixel(1, 1, 2));
            GrayImage second = set.image(1);
            assertEquals(3, second.width());
            assertEquals(2, second.height());
            assertEquals(120 / 255f, second.get(0, 0), 1e-7f);
        }
        byte[] labels = idx(0x00000801, new int[] {3}, new byte[] {9, 0, (byte) 200});
        assertArrayEquals(new int[] {9, 0, 200}, IdxReader.readLabels(TestFiles.gzip(labels)));
    }

    @Test
    void wrongMagicTruncationAndTypesAreExplained() {
        byte[] labels = idx(0x00000801, new int[] {3}, new byte[3]);
        ImageFormatException swapped = assertThrows(ImageFormatException.class, () -> IdxReader.readImages(labels));
        assertEquals("corrupt_image", swapped.reason());
        assertTrue(swapped.getMessage().contains("expected IDX images (magic 0x00000803), got magic 0x00000801"),
                swapped.getMessage());
        byte[] ints = idx(0x00000C01, new int[] {3}, new byte[12]);
        assertEquals("unsupported_image", assertThrows(ImageFormatException.class,
                () -> IdxReader.readLabels(ints)).reason());
        byte[] images = idx(0x00000803, new int[] {10, 28, 28}, new byte[28 * 28 * 9]);
        ImageFormatException cut = assertThrows(ImageFormatException.class, () -> IdxReader.readImages(images));
        assertEquals("truncated_image", cut.reason());
        assertEquals("corrupt_image", assertThrows(ImageFormatException.class,
                () -> IdxReader.readImages("text, not idx".getBytes())).reason());
        assertEquals("truncated_image", assertThrows(ImageFormatException.class,
                () -> IdxReader.readImages(new byte[] {0, 0, 8, 3, 0})).reason());
    }

    @Test
    void fashionMnistTrainingSetWhenInstalled() {
        Path images = TestFiles.FASHION_MNIST.resolve("train-images-idx3-ubyte.gz");
        Path labels = TestFiles.FASHION_MNIST.resolve("train-labels-idx1-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(images) && Files.exists(labels),
                "install dataset-fashion-mnist for the real IDX test");
        IdxImages set = IdxReader.readImages(images);
        int[] y = IdxReader.readLabels(labels);
        // numpy on the raw files: 60000 x 28 x 28, labels[:10] = 9 0 0 3 0 2 7 2 5 5, 6000 per class
        assertEquals(60000, set.count());
        assertEquals(28, set.rows());
        assertEquals(28, set.cols());
        assertEquals(60000, y.length);
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(y, 10));
        int[] counts = new int[10];
        for (int label : y) {
            counts[label]++;
        }
        int[] expected = new int[10];
        Arrays.fill(expected, 6000);
        assertArrayEquals(expected, counts);
        // Image 0 (an ankle boot): byte sum 76247, mean 97.25382653061224, pixel [14,14] = 217
        GrayImage first = set.image(0);
        assertEquals(97.25382653061224 / 255, first.mean(), 1e-6);
        assertEquals(217, set.pixel(0, 14, 14));
        assertEquals(217 / 255f, first.get(14, 14), 1e-7f);
        int sum = 0;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                sum += set.pixel(59999, r, c);
            }
        }
        assertEquals(16684, sum);
        assertArrayEquals(new int[] {9, 2, 1, 1, 6},
                Arrays.copyOf(IdxReader.readLabels(TestFiles.FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz")), 5));
    }
}
