package io.recon.imaging.codec;

import io.recon.imaging.SampleType;
import io.recon.imaging.Bytes;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.Volume;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads single-file NIfTI-1 volumes ({@code .nii}, or {@code .nii.gz}, recognised by the gzip magic
 * rather than the file name). Either byte order, detected from {@code sizeof_hdr}; data types uint8,
 * int8, uint16, int16, uint32, int32, float32, float64; {@code scl_slope}/{@code scl_inter} applied
 * when the slope is non-zero and finite. 4-D files yield one 3-D volume per call.
 *
 * <p>Not supported ({@code unsupported_image}): NIfTI-2, two-file NIfTI/Analyze pairs (.hdr/.img),
 * complex and RGB data types.
 */
public final class NiftiVolumeReader {

    /** Default cap on the (decompressed) file size: 512 MiB. */
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;
    private static final int HEADER_SIZE = 348;

    private static final Map<Integer, SampleType> TYPES = Map.of(2, SampleType.UINT8, 256, SampleType.INT8,
            4, SampleType.INT16, 512, SampleType.UINT16, 8, SampleType.INT32, 768, SampleType.UINT32,
            16, SampleType.FLOAT32, 64, SampleType.FLOAT64);
    private static final Map<Integer, String> UNSUPPORTED_TYPES = Map.of(1, "binary", 32, "complex64",
            128, "RGB24", 1024, "int64", 1280, "uint64", 1536, "float128", 1792, "complex128",
            2048, "complex256", 2304, "RGBA32");

    private final long maxBytes;
    private final long maxSlicePixels;

    /** A reader with {@link #DEFAULT_MAX_BYTES} and no limit on a slice's pixels beyond it. */
    public NiftiVolumeReader() {
        this(DEFAULT_MAX_BYTES);
    }

    /** A reader refusing files (after decompression) larger than {@code maxBytes}. */
    public NiftiVolumeReader(long maxBytes) {
        this(maxBytes, Long.MAX_VALUE);
    }

    /**
     * A reader refusing files larger than {@code maxBytes} and volumes whose axial slices have more
     * than {@code maxSlicePixels} pixels, both checked from the header before anything is allocated
     * (a 1.4 MB gzipped event once declared 16384x16383 and took 6 GB of heap).
     */
    public NiftiVolumeReader(long maxBytes, long maxSlicePixels) {
        this.maxBytes = maxBytes;
        this.maxSlicePixels = maxSlicePixels;
    }

    /**
     * Reads the first 3-D volume of a {@code .nii} or {@code .nii.gz} file.
     *
     * @throws ImageFormatException          as for {@link #read(byte[], int)}
     * @throws java.io.UncheckedIOException  if the file cannot be read
     */
    public Volume read(Path path) {
        return read(Bytes.readFile(path, maxBytes, "NIfTI file"), 0);
    }

    /** Reads the first 3-D volume from file bytes (gzipped or not). */
    public Volume read(byte[] data) {
        return read(data, 0);
    }

    /**
     * Reads 3-D volume {@code volumeIndex} (the 4th dimension, e.g. time) from file bytes.
     *
     * @throws ImageFormatException {@code corrupt_image}, {@code truncated_image},
     *                              {@code unsupported_image}, {@code too_large}, {@code bad_field}
     *                              for a volume index out of range
     */
    public Volume read(byte[] data, int volumeIndex) {
        if (data == null || data.length == 0) {
            throw ImageFormatException.corrupt("NIfTI data is empty");
        }
        byte[] bytes = Bytes.maybeGunzip(data, maxBytes, "NIfTI data");
        if (bytes.length < HEADER_SIZE) {
            throw ImageFormatException.truncated("NIfTI data is " + bytes.length + " bytes, shorter than the "
                    + HEADER_SIZE + "-byte header");
        }
        ByteBuffer h = ByteBuffer.wrap(bytes).order(byteOrder(bytes));
        String magic = new String(bytes, 344, 3, StandardCharsets.ISO_8859_1);
        if (magic.equals("ni1")) {
            throw ImageFormatException.unsupported("this is the header of a two-file NIfTI-1 pair (.hdr/.img); "
                    + "only single-file .nii/.nii.gz is supported");
        }
        if (!magic.equals("n+1")) {
            throw ImageFormatException.unsupported("NIfTI magic is not \"n+1\" (Analyze 7.5 or unknown format); "
                    + "only single-file NIfTI-1 is supported");
        }
        int rank = h.getShort(40);
        if (rank < 1 || rank > 7) {
            throw ImageFormatException.corrupt("NIfTI dim[0] is " + rank + ", must be 1..7");
        }
        int[] dim = new int[8];
        for (int i = 1; i <= 7; i++) {
            dim[i] = i <= rank ? h.getShort(40 + 2 * i) : 1;
            if (dim[i] <= 0) {
                throw ImageFormatException.corrupt("NIfTI dim[" + i + "] is " + dim[i] + ", must be positive");
            }
        }
        int code = h.getShort(70);
        SampleType type = TYPES.get(code);
        if (type == null) {
            String name = UNSUPPORTED_TYPES.get(code);
            throw ImageFormatException.unsupported("NIfTI datatype " + code + (name != null ? " (" + name + ")" : "")
                    + " is not supported; supported: uint8, int8, uint16, int16, uint32, int32, float32, float64");
        }
        int bitpix = h.getShort(72);
        if (bitpix != 8 * type.bytes) {
            throw ImageFormatException.corrupt("NIfTI bitpix " + bitpix + " does not match datatype "
                    + type.label() + " (" + 8 * type.bytes + " bits)");
        }
        float voxOffset = h.getFloat(108);
        if (!(voxOffset >= HEADER_SIZE) || voxOffset != Math.rint(voxOffset)) {
            throw ImageFormatException.corrupt("NIfTI vox_offset " + voxOffset + " must be a whole number >= 348");
        }
        long volumes = (long) dim[4] * dim[5] * dim[6] * dim[7];
        if (volumeIndex < 0 || volumeIndex >= volumes) {
            throw ImageFormatException.badField("volume " + volumeIndex + " requested but the NIfTI file has "
                    + volumes + " volume(s)");
        }
        if ((long) dim[1] * dim[2] > maxSlicePixels) {
            throw ImageFormatException.tooLarge("NIfTI slices of " + dim[1] + "x" + dim[2] + " are over the limit of "
                    + maxSlicePixels + " pixels");
        }
        long voxels = (long) dim[1] * dim[2] * dim[3];
        if (voxels * type.bytes > maxBytes || voxels > Integer.MAX_VALUE - 8) {
            throw ImageFormatException.tooLarge("NIfTI volume " + dim[1] + "x" + dim[2] + "x" + dim[3] + " "
                    + type.label() + " is over the limit of " + maxBytes + " bytes");
        }
        long start = (long) voxOffset + volumeIndex * voxels * type.bytes;
        long end = start + voxels * type.bytes;
        if (end > bytes.length) {
            throw ImageFormatException.truncated("NIfTI data ends at byte " + bytes.length + " but volume "
                    + volumeIndex + " (" + dim[1] + "x" + dim[2] + "x" + dim[3] + " " + type.label()
                    + " from vox_offset " + (long) voxOffset + ") needs bytes up to " + end);
        }
        float[] values = type.toFloats(bytes, (int) start, (int) voxels, h.order());
        float slope = h.getFloat(112);
        float inter = h.getFloat(116);
        boolean scaled = slope != 0 && Float.isFinite(slope);
        boolean identity = scaled && slope == 1f && (inter == 0f || !Float.isFinite(inter));
        if (scaled) {
            float b = Float.isFinite(inter) ? inter : 0f;
            for (int i = 0; i < values.length; i++) {
                values[i] = values[i] * slope + b;
            }
        }
        double[] spacing = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = Math.abs(h.getFloat(80 + 4 * i));
            spacing[i] = s > 0 && Double.isFinite(s) ? s : 1.0;
        }
        String desc = "NIfTI-1 " + type.label() + " " + dim[1] + "x" + dim[2] + "x" + dim[3]
                + (h.order() == ByteOrder.BIG_ENDIAN ? " big-endian" : "")
                + (volumes > 1 ? ", volume " + volumeIndex + "/" + volumes : "")
                + (scaled && !identity ? ", scaled x" + slope + " + " + inter : "");
        return new Volume(dim[1], dim[2], dim[3], values, spacing, desc);
    }

    private static ByteOrder byteOrder(byte[] b) {
        int le = ByteBuffer.wrap(b, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = ByteBuffer.wrap(b, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (le == HEADER_SIZE) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (be == HEADER_SIZE) {
            return ByteOrder.BIG_ENDIAN;
        }
        if (le == 540 || be == 540) {
            throw ImageFormatException.unsupported("this is a NIfTI-2 file (sizeof_hdr 540); only NIfTI-1 is supported");
        }
        throw ImageFormatException.corrupt("not a NIfTI-1 file: sizeof_hdr is " + le + " (little endian) / " + be
                + " (big endian), expected 348");
    }
}
