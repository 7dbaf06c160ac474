package io.recon.data;

import io.recon.imaging.ImageFormatException;
import io.recon.imaging.SampleType;
import io.recon.imaging.Volume;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the CT volume of an InVesalius 3 project ({@code .inv3}): a gzipped tar holding
 * {@code main.plist} (an XML property list whose {@code matrix} entry gives the file name, numpy
 * dtype and {@code [slices, rows, columns]} shape) and the raw matrix file, C-ordered and little
 * endian (numpy's native order on the x86 machines InVesalius writes from). Values are already in
 * Hounsfield units.
 *
 * <p>The archive (read with commons-compress, checksums checked) is read twice, streaming: once to find {@code main.plist}, once to read the matrix,
 * so member order does not matter and nothing but the matrix is held in memory.
 */
public final class Inv3VolumeReader {

    /** Default cap on the matrix: 512 x 512 x 1024 voxels. */
    public static final long DEFAULT_MAX_VOXELS = 512L * 512 * 1024;
    private static final long MAX_PLIST_BYTES = 1 << 20;

    private final long maxVoxels;

    /** A reader with {@link #DEFAULT_MAX_VOXELS}. */
    public Inv3VolumeReader() {
        this(DEFAULT_MAX_VOXELS);
    }

    /** A reader refusing matrices with more than {@code maxVoxels} voxels. */
    public Inv3VolumeReader(long maxVoxels) {
        this.maxVoxels = maxVoxels;
    }

    /**
     * Reads the project's volume.
     *
     * @throws ImageFormatException   {@code corrupt_image} (not a gzip/tar, no main.plist, inconsistent
     *                                matrix), {@code truncated_image}, {@code unsupported_image} (dtype),
     *                                {@code too_large}
     * @throws UncheckedIOException   if the file cannot be read
     */
    public Volume read(Path inv3) {
        Map<String, Object> main = readMainPlist(inv3);
        Matrix m = Matrix.of(main);
        long voxels = (long) m.slices * m.rows * m.columns;
        if (voxels > maxVoxels) {
            throw ImageFormatException.tooLarge("InVesalius matrix " + m.slices + "x" + m.rows + "x" + m.columns
                    + " has " + voxels + " voxels, over the limit of " + maxVoxels);
        }
        byte[] raw = readMember(inv3, m.filename, voxels * m.type.bytes);
        if (raw.length != voxels * m.type.bytes) {
            throw ImageFormatException.corrupt(m.filename + " has " + raw.length + " bytes but main.plist's shape "
                    + m.slices + "x" + m.rows + "x" + m.columns + " of " + m.type.label() + " needs "
                    + voxels * m.type.bytes);
        }
        float[] values = m.type.toFloats(raw, 0, (int) voxels, m.order);
        String desc = "InVesalius " + text(main.get("modality"), "?") + " '" + text(main.get("name"), "") + "' "
                + m.type.label();
        return new Volume(m.columns, m.rows, m.slices, values, spacing(main.get("spacing")), desc);
    }

    /** The parsed {@code main.plist} of a project. */
    static Map<String, Object> readMainPlist(Path inv3) {
        byte[] bytes = readMember(inv3, "main.plist", -1, MAX_PLIST_BYTES).orElseThrow(() ->
                ImageFormatException.corrupt("no main.plist in " + inv3.getFileName() + ": not an InVesalius 3 project"));
        Object plist = Plist.parse(bytes);
        if (!(plist instanceof Map<?, ?>)) {
            throw ImageFormatException.corrupt("main.plist is not a <dict>");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) plist;
        return map;
    }

    private static byte[] readMember(Path inv3, String name, long expected) {
        return readMember(inv3, name, expected, expected).orElseThrow(() -> ImageFormatException.corrupt(
                "main.plist names matrix file '" + name + "' but " + inv3.getFileName() + " has no such member"));
    }

    /**
     * The data of the first file member whose name without directories is {@code name} (InVesalius
     * nests members in a temporary folder), or empty when there is none.
     *
     * @param expected its size in bytes, or -1 for any size up to {@code max}
     */
    private static Optional<byte[]> readMember(Path inv3, String name, long expected, long max) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(open(inv3))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (!e.isCheckSumOK()) {
                    throw ImageFormatException.corrupt("tar header of member '" + e.getName() + "' fails its checksum");
                }
                String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (!e.isFile() || !base.equals(name)) {
                    continue;
                }
                if (expected >= 0 && e.getSize() != expected) {
                    throw ImageFormatException.corrupt(name + " is " + e.getSize() + " bytes but main.plist's "
                            + "matrix shape and dtype need " + expected);
                }
                if (e.getSize() > max || e.getSize() > Integer.MAX_VALUE - 8) {
                    throw ImageFormatException.tooLarge("tar member " + name + " of " + e.getSize()
                            + " bytes is over the limit of " + max);
                }
                byte[] data = tar.readNBytes((int) e.getSize());
                if (data.length < e.getSize()) {
                    throw ImageFormatException.truncated("tar archive ends inside " + name + " (needed " + e.getSize()
                            + " bytes, found " + data.length + ")");
                }
                return Optional.of(data);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw ioFailure(inv3, e);
        }
    }

    /** The archive stream, gunzipped when it starts with the gzip magic (plain tar is accepted too). */
    private static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static RuntimeException ioFailure(Path path, IOException e) {
        if (e instanceof EOFException) {
            return new ImageFormatException(ImageFormatException.TRUNCATED, path.getFileName()
                    + ": compressed data ends early (" + e.getMessage() + ")", e);
        }
        if (e instanceof ZipException) {
            return new ImageFormatException(ImageFormatException.CORRUPT, path.getFileName()
                    + ": broken gzip data (" + e.getMessage() + ")", e);
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Truncated") || message.contains("truncated")) {
            return new ImageFormatException(ImageFormatException.TRUNCATED, path.getFileName()
                    + ": tar archive ends early (" + message + ")", e);
        }
        if (e.getCause() instanceof IllegalArgumentException || message.contains("header")) {
            // commons-compress: a header field that does not parse
            return new ImageFormatException(ImageFormatException.CORRUPT, path.getFileName()
                    + ": damaged tar header (" + message + ")", e);
        }
        return new UncheckedIOException("cannot read " + path, e);
    }

    /** The {@code matrix} entry of main.plist. */
    private record Matrix(String filename, SampleType type, ByteOrder order, int slices, int rows, int columns) {

        static Matrix of(Map<String, Object> main) {
            if (!(main.get("matrix") instanceof Map<?, ?> matrix)) {
                throw ImageFormatException.corrupt("main.plist has no 'matrix' dict (InVesalius 3 project expected)");
            }
            String filename = text(matrix.get("filename"), null);
            String dtype = text(matrix.get("dtype"), null);
            if (filename == null || dtype == null || !(matrix.get("shape") instanceof List<?> shape)
                    || shape.size() != 3) {
                throw ImageFormatException.corrupt("main.plist 'matrix' needs 'filename', 'dtype' and a 3-element "
                        + "'shape', got " + matrix);
            }
            int[] dims = new int[3];
            for (int i = 0; i < 3; i++) {
                if (!(shape.get(i) instanceof Number n) || n.longValue() <= 0 || n.longValue() > Integer.MAX_VALUE) {
                    throw ImageFormatException.corrupt("main.plist matrix shape " + shape + " must be 3 positive integers");
                }
                dims[i] = n.intValue();
            }
            // numpy dtype strings: "int16" (native = little endian here) or explicit "<i2" / ">i2".
            ByteOrder order = dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            String base = dtype.replaceFirst("^[<>=|]", "");
            SampleType type = switch (base) {
                case "int16", "i2" -> SampleType.INT16;
                case "uint16", "u2" -> SampleType.UINT16;
                case "uint8", "u1" -> SampleType.UINT8;
                case "int8", "i1" -> SampleType.INT8;
                case "int32", "i4" -> SampleType.INT32;
                case "uint32", "u4" -> SampleType.UINT32;
                case "float32", "f4" -> SampleType.FLOAT32;
                case "float64", "f8" -> SampleType.FLOAT64;
                default -> throw ImageFormatException.unsupported("InVesalius matrix dtype '" + dtype
                        + "' is not supported; supported: int8/16/32, uint8/16/32, float32/64");
            };
            return new Matrix(filename, type, order, dims[0], dims[1], dims[2]);
        }
    }

    private static double[] spacing(Object value) {
        double[] s = {1, 1, 1};
        if (value instanceof List<?> list && list.size() == 3) {
            for (int i = 0; i < 3; i++) {
                if (list.get(i) instanceof Number n && n.doubleValue() > 0) {
                    s[i] = n.doubleValue();
                }
            }
        }
        return s;
    }

    private static String text(Object v, String fallback) {
        return v instanceof String s ? s : fallback;
    }
}
