package io.recon.imaging.codec;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import io.recon.imaging.Window;

/**
 * Writes one signed 16-bit grayscale slice (e.g. CT in Hounsfield units) as a DICOM Part 10 file:
 * Secondary Capture Image Storage, explicit VR little endian, uncompressed, with the rescale (slope
 * 1, intercept 0, so stored values are the modality values) and a default window. It is the writer
 * of the replay sample ({@code tests/data/imaging/replay}), whose CT slices are derived images
 * (re-posed, some with synthetic lesions) of a real scan, hence Secondary Capture rather than CT
 * Image Storage, whose acquisition attributes they do not have.
 *
 * <p>UIDs are derived from the names given (the {@code 2.25} root for UUIDs), so the same slice
 * always gives the same bytes.
 */
public final class DicomWriter {

    /** Secondary Capture Image Storage. */
    public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    /** Explicit VR Little Endian. */
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    /** Implementation class UID of this writer (UUID-derived, fixed). */
    static final String IMPLEMENTATION_CLASS = uid("io.recon.imaging.codec.DicomWriter");

    /**
     * One slice.
     *
     * @param width          columns
     * @param height         rows
     * @param values         modality values (e.g. HU), row-major, {@code width * height}
     * @param pixelSpacing   row and column spacing in mm, or null
     * @param modality       the Modality tag (e.g. {@code CT})
     * @param window         the default window written into the file, or null
     * @param patientName    PatientName
     * @param patientId      PatientID
     * @param study          names the study and series (UIDs derive from it)
     * @param instanceNumber InstanceNumber (and part of the SOP instance UID)
     * @param description    SeriesDescription / ImageComments: what the image is
     * @param synthetic      whether the image was altered synthetically (ConversionType SYN, else WSD)
     */
    public record Slice(int width, int height, short[] values, double[] pixelSpacing, String modality, Window window,
            String patientName, String patientId, String study, int instanceNumber, String description,
            boolean synthetic) {

        /** Checks the sizes. */
        public Slice {
            if (width <= 0 || height <= 0 || width > 0xFFFF || height > 0xFFFF) {
                throw new IllegalArgumentException("bad size " + width + "x" + height);
            }
            if (values.length != width * height) {
                throw new IllegalArgumentException(values.length + " values for " + width + "x" + height);
            }
            Objects.requireNonNull(modality, "modality");
            Objects.requireNonNull(study, "study");
        }
    }

    private DicomWriter() {
    }

    /** A deterministic UID ({@code 2.25.<the name's UUID as a decimal number>}). */
    public static String uid(String name) {
        UUID u = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /** Clamps and rounds a modality value to a signed 16-bit stored value. */
    public static short toInt16(float v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }

    /** The Part 10 file of the slice. */
    public static byte[] write(Slice s) {
        String instance = uid(s.study() + "/instance/" + s.instanceNumber() + "/" + s.description());
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0002, 0x0001, "OB", new byte[] {0, 1});
        text(meta, 0x0002, 0x0002, "UI", SECONDARY_CAPTURE);
        text(meta, 0x0002, 0x0003, "UI", instance);
        text(meta, 0x0002, 0x0010, "UI", EXPLICIT_VR_LITTLE_ENDIAN);
        text(meta, 0x0002, 0x0012, "UI", IMPLEMENTATION_CLASS);
        text(meta, 0x0002, 0x0013, "SH", "RECON_DCMWRITER1");

        ByteArrayOutputStream ds = new ByteArrayOutputStream();
        text(ds, 0x0008, 0x0008, "CS", s.synthetic() ? "DERIVED\\SECONDARY\\SYNTHETIC" : "DERIVED\\SECONDARY");
        text(ds, 0x0008, 0x0016, "UI", SECONDARY_CAPTURE);
        text(ds, 0x0008, 0x0018, "UI", instance);
        text(ds, 0x0008, 0x0020, "DA", "");
        text(ds, 0x0008, 0x0030, "TM", "");
        text(ds, 0x0008, 0x0050, "SH", "");
        text(ds, 0x0008, 0x0060, "CS", s.modality().toUpperCase(Locale.ROOT));
        text(ds, 0x0008, 0x0064, "CS", s.synthetic() ? "SYN" : "WSD");
        text(ds, 0x0008, 0x0090, "PN", "");
        text(ds, 0x0008, 0x103E, "LO", limit(s.description(), 64));
        text(ds, 0x0010, 0x0010, "PN", s.patientName() == null ? "" : s.patientName());
        text(ds, 0x0010, 0x0020, "LO", s.patientId() == null ? "" : limit(s.patientId(), 64));
        text(ds, 0x0010, 0x0030, "DA", "");
        text(ds, 0x0010, 0x0040, "CS", "");
        text(ds, 0x0020, 0x000D, "UI", uid(s.study() + "/study"));
        text(ds, 0x0020, 0x000E, "UI", uid(s.study() + "/series"));
        text(ds, 0x0020, 0x0010, "SH", "");
        text(ds, 0x0020, 0x0011, "IS", "1");
        text(ds, 0x0020, 0x0013, "IS", Integer.toString(s.instanceNumber()));
        text(ds, 0x0020, 0x0020, "CS", "");
        if (s.description() != null && !s.description().isEmpty()) {
            text(ds, 0x0020, 0x4000, "LT", s.description());
        }
        element(ds, 0x0028, 0x0002, "US", le16(1));
        text(ds, 0x0028, 0x0004, "CS", "MONOCHROME2");
        element(ds, 0x0028, 0x0010, "US", le16(s.height()));
        element(ds, 0x0028, 0x0011, "US", le16(s.width()));
        if (s.pixelSpacing() != null) {
            text(ds, 0x0028, 0x0030, "DS", ds(s.pixelSpacing()[0]) + "\\" + ds(s.pixelSpacing()[1]));
        }
        element(ds, 0x0028, 0x0100, "US", le16(16));
        element(ds, 0x0028, 0x0101, "US", le16(16));
        element(ds, 0x0028, 0x0102, "US", le16(15));
        element(ds, 0x0028, 0x0103, "US", le16(1));
        if (s.window() != null) {
            text(ds, 0x0028, 0x1050, "DS", ds(s.window().center()));
            text(ds, 0x0028, 0x1051, "DS", ds(s.window().width()));
        }
        text(ds, 0x0028, 0x1052, "DS", "0");
        text(ds, 0x0028, 0x1053, "DS", "1");
        text(ds, 0x0028, 0x1054, "LO", "CT".equalsIgnoreCase(s.modality()) ? "HU" : "US");
        ByteBuffer px = ByteBuffer.allocate(s.values().length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s.values()) {
            px.putShort(v);
        }
        element(ds, 0x7FE0, 0x0010, "OW", px.array());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] metaBytes = meta.toByteArray();
        element(out, 0x0002, 0x0000, "UL", le32(metaBytes.length));
        out.writeBytes(metaBytes);
        out.writeBytes(ds.toByteArray());
        return out.toByteArray();
    }

    /** A decimal string of at most 16 characters (DS). */
    private static String ds(double v) {
        String t = Window.fmt(v);
        return t.length() <= 16 ? t : String.format(Locale.ROOT, "%.6g", v).trim();
    }

    private static String limit(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max);
    }

    private static void text(ByteArrayOutputStream out, int group, int element, String vr, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        if (b.length % 2 != 0) {
            // UI values pad with NUL, the other strings with a space.
            b = java.util.Arrays.copyOf(b, b.length + 1);
            b[b.length - 1] = "UI".equals(vr) ? 0 : (byte) ' ';
        }
        element(out, group, element, vr, b);
    }

    private static void element(ByteArrayOutputStream out, int group, int element, String vr, byte[] value) {
        if (value.length % 2 != 0) {
            throw new IllegalArgumentException("odd value length for " + vr);
        }
        out.writeBytes(le16(group));
        out.writeBytes(le16(element));
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN") || vr.equals("UT")) {
            out.writeBytes(new byte[2]);
            out.writeBytes(le32(value.length));
        } else {
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException(vr + " value too long: " + value.length);
            }
            out.writeBytes(le16(value.length));
        }
        out.writeBytes(value);
    }

    private static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }
}
