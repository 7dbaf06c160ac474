package io.recon.imaging.codec;

import io.recon.imaging.ImageFormatException;
import java.util.Map;

/**
 * The DICOM transfer syntaxes this package recognises: how the dataset is encoded (VR explicit or
 * implicit, byte order, deflate) and whether the pixel data is native, RLE or another codec.
 */
record DicomTransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian, boolean deflated,
                           boolean rle, boolean supported) {

    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    static final String SUPPORTED_LIST = "implicit VR little endian (1.2.840.10008.1.2), explicit VR little endian "
            + "(1.2.840.10008.1.2.1), deflated explicit VR little endian (1.2.840.10008.1.2.1.99), explicit VR big "
            + "endian (1.2.840.10008.1.2.2), RLE lossless (1.2.840.10008.1.2.5)";

    private static final Map<String, DicomTransferSyntax> KNOWN = Map.of(
            IMPLICIT_LE, new DicomTransferSyntax(IMPLICIT_LE, "implicit VR little endian", false, false, false, false, true),
            EXPLICIT_LE, new DicomTransferSyntax(EXPLICIT_LE, "explicit VR little endian", true, false, false, false, true),
            DEFLATED_LE, new DicomTransferSyntax(DEFLATED_LE, "deflated explicit VR little endian", true, false, true,
                    false, true),
            EXPLICIT_BE, new DicomTransferSyntax(EXPLICIT_BE, "explicit VR big endian", true, true, false, false, true),
            RLE_LOSSLESS, new DicomTransferSyntax(RLE_LOSSLESS, "RLE lossless", true, false, false, true, true));

    /** Names of the compressed syntaxes we refuse, so the message says what the sender used. */
    private static final Map<String, String> UNSUPPORTED_NAMES = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.4.50", "JPEG baseline"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG extended 12-bit"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG lossless"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG lossless first-order prediction"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS near-lossless"),
            Map.entry("1.2.840.10008.1.2.4.90", "JPEG 2000 lossless"),
            Map.entry("1.2.840.10008.1.2.4.91", "JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.92", "JPEG 2000 multi-component lossless"),
            Map.entry("1.2.840.10008.1.2.4.93", "JPEG 2000 multi-component"),
            Map.entry("1.2.840.10008.1.2.4.94", "JPIP referenced"),
            Map.entry("1.2.840.10008.1.2.4.95", "JPIP referenced deflate"),
            Map.entry("1.2.840.10008.1.2.4.100", "MPEG2 main profile"),
            Map.entry("1.2.840.10008.1.2.4.101", "MPEG2 high profile"),
            Map.entry("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264"),
            Map.entry("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD"),
            Map.entry("1.2.840.10008.1.2.4.107", "HEVC/H.265 main"),
            Map.entry("1.2.840.10008.1.2.4.108", "HEVC/H.265 main 10"),
            Map.entry("1.2.840.10008.1.2.4.201", "HTJ2K lossless"),
            Map.entry("1.2.840.10008.1.2.4.202", "HTJ2K lossless RPCL"),
            Map.entry("1.2.840.10008.1.2.4.203", "HTJ2K"));

    /**
     * The syntax for {@code uid}.
     *
     * @throws ImageFormatException {@code unsupported_image} naming the syntax and listing what is supported
     */
    static DicomTransferSyntax of(String uid) {
        DicomTransferSyntax ts = KNOWN.get(uid);
        if (ts != null) {
            return ts;
        }
        String name = UNSUPPORTED_NAMES.get(uid);
        throw ImageFormatException.unsupported("DICOM transfer syntax " + uid + " ("
                + (name != null ? name : "unknown") + ") is not supported; supported: " + SUPPORTED_LIST);
    }

    static DicomTransferSyntax implicitLittleEndian() {
        return KNOWN.get(IMPLICIT_LE);
    }

    static DicomTransferSyntax explicitLittleEndian() {
        return KNOWN.get(EXPLICIT_LE);
    }
}
