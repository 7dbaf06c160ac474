package io.recon.data;

import io.recon.imaging.Bytes;
import io.recon.imaging.ImageFormatException;
import java.nio.file.Path;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST container), plain or gzipped: a big-endian magic
 * {@code 0x0000TTNN} (TT = 0x08 unsigned byte, NN = number of dimensions), NN big-endian int32
 * dimension sizes, then the data. Images are {@code 0x00000803} (count, rows, cols), labels
 * {@code 0x00000801} (count).
 */
public final class IdxReader {

    /** Default cap on the (decompressed) file: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    private IdxReader() {
    }

    /**
     * Reads an image file such as {@code train-images-idx3-ubyte.gz}.
     *
     * @throws ImageFormatException          {@code corrupt_image} (wrong magic), {@code truncated_image},
     *                                       {@code unsupported_image} (non-byte element type), {@code too_large}
     * @throws java.io.UncheckedIOException  if the file cannot be read
     */
    public static IdxImages readImages(Path path) {
        return readImages(Bytes.readFile(path, DEFAULT_MAX_BYTES, "IDX file"));
    }

    /** Reads image-file bytes (gzipped or not). */
    public static IdxImages readImages(byte[] data) {
        byte[] b = Bytes.maybeGunzip(data, DEFAULT_MAX_BYTES, "IDX data");
        int[] dims = header(b, 3, "images");
        return new IdxImages(dims[0], dims[1], dims[2], body(b, dims));
    }

    /** Reads a label file such as {@code train-labels-idx1-ubyte.gz}. */
    public static int[] readLabels(Path path) {
        return readLabels(Bytes.readFile(path, DEFAULT_MAX_BYTES, "IDX file"));
    }

    /** Reads label-file bytes (gzipped or not); labels are 0–255. */
    public static int[] readLabels(byte[] data) {
        byte[] b = Bytes.maybeGunzip(data, DEFAULT_MAX_BYTES, "IDX data");
        int[] dims = header(b, 1, "labels");
        byte[] body = body(b, dims);
        int[] labels = new int[body.length];
        for (int i = 0; i < body.length; i++) {
            labels[i] = body[i] & 0xff;
        }
        return labels;
    }

    private static int[] header(byte[] b, int expectedDims, String what) {
        if (b.length < 4) {
            throw ImageFormatException.truncated("IDX data is " + b.length + " bytes, shorter than its magic number");
        }
        int magic = readInt(b, 0);
        int expected = 0x0800 | expectedDims;
        if ((magic >>> 16) != 0) {
            throw ImageFormatException.corrupt(String.format("not an IDX file: magic 0x%08X does not start with two "
                    + "zero bytes", magic));
        }
        if (((magic >>> 8) & 0xff) != 0x08) {
            throw ImageFormatException.unsupported(String.format("IDX element type 0x%02X is not supported; only "
                    + "unsigned bytes (0x08)", (magic >>> 8) & 0xff));
        }
        if (magic != expected) {
            throw ImageFormatException.corrupt(String.format("expected IDX %s (magic 0x%08X), got magic 0x%08X "
                    + "(%d dimensions)", what, expected, magic, magic & 0xff));
        }
        if (b.length < 4 + 4 * expectedDims) {
            throw ImageFormatException.truncated("IDX data ends inside its dimension header");
        }
        int[] dims = new int[expectedDims];
        for (int i = 0; i < expectedDims; i++) {
            dims[i] = readInt(b, 4 + 4 * i);
            if (dims[i] < 0) {
                throw ImageFormatException.corrupt("IDX dimension " + i + " is negative: " + dims[i]);
            }
        }
        return dims;
    }

    private static byte[] body(byte[] b, int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        int start = 4 + 4 * dims.length;
        if (start + n > b.length) {
            throw ImageFormatException.truncated("IDX header promises " + n + " bytes of data but only "
                    + (b.length - start) + " follow");
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(b, start, out, 0, (int) n);
        return out;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
