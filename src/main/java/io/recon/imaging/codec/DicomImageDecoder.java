package io.recon.imaging.codec;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.Intensity;
import io.recon.imaging.Window;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A small, dependency-free DICOM Part 10 image reader for the scoring path.
 *
 * <p>Supported: implicit VR LE, explicit VR LE, deflated explicit VR LE, explicit VR BE and RLE
 * lossless transfer syntaxes; 8/16/32-bit stored values, signed or unsigned, with BitsStored masking;
 * MONOCHROME1 (inverted on output) and MONOCHROME2; RGB (and YBR_FULL, using Y) converted to luma;
 * multi-frame objects (one frame per call). Files with or without the 128-byte preamble.
 *
 * <p>Windowing, in order of preference: a window passed by the caller, the first
 * WindowCenter/WindowWidth value in the file (DICOM linear VOI function), else the min–max range of
 * the frame's modality values.
 *
 * <p>Not supported ({@code unsupported_image}): JPEG, JPEG-LS, JPEG 2000 and video transfer syntaxes,
 * PALETTE COLOR, YBR_FULL_422 native data, 1-bit (segmentation) and float pixel data, files without
 * pixel data (reports, plans).
 */
public final class DicomImageDecoder {

    /** Default pixel limit per frame: 4096 x 4096. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096L;
    /** Default limit on the inflated size of deflated datasets: the largest frame at 4 bytes a pixel, and room for the rest. */
    public static final long DEFAULT_MAX_INFLATED_BYTES = DEFAULT_MAX_PIXELS * 4 + (1 << 20);

    // Attributes read (group << 16 | element) and the keywords they are reported under.
    private static final Map<Integer, String> KEYWORDS = new LinkedHashMap<>();

    static {
        KEYWORDS.put(DicomParser.TRANSFER_SYNTAX_UID, "TransferSyntaxUID");
        KEYWORDS.put(0x00080016, "SOPClassUID");
        KEYWORDS.put(0x00080060, "Modality");
        KEYWORDS.put(0x00180015, "BodyPartExamined");
        KEYWORDS.put(0x00280002, "SamplesPerPixel");
        KEYWORDS.put(0x00280004, "PhotometricInterpretation");
        KEYWORDS.put(0x00280006, "PlanarConfiguration");
        KEYWORDS.put(0x00280008, "NumberOfFrames");
        KEYWORDS.put(0x00280010, "Rows");
        KEYWORDS.put(0x00280011, "Columns");
        KEYWORDS.put(0x00280100, "BitsAllocated");
        KEYWORDS.put(0x00280101, "BitsStored");
        KEYWORDS.put(0x00280103, "PixelRepresentation");
        KEYWORDS.put(0x00281050, "WindowCenter");
        KEYWORDS.put(0x00281051, "WindowWidth");
        KEYWORDS.put(0x00281052, "RescaleIntercept");
        KEYWORDS.put(0x00281053, "RescaleSlope");
    }

    /** Attributes with VR US (binary); all others we read are strings (CS, DS, IS, UI, LO). */
    private static final Set<Integer> US_TAGS = Set.of(0x00280002, 0x00280006, 0x00280010, 0x00280011, 0x00280100,
            0x00280101, 0x00280103);

    private final long maxPixels;
    private final long maxInflatedBytes;

    /** A decoder with the default limits. */
    public DicomImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_MAX_INFLATED_BYTES);
    }

    /**
     * @param maxPixels        refuse frames with more than this many pixels ({@code too_large}); at most 2^30
     * @param maxInflatedBytes refuse deflated datasets that inflate beyond this
     */
    public DicomImageDecoder(long maxPixels, long maxInflatedBytes) {
        if (maxPixels <= 0 || maxPixels > (1L << 30)) {
            throw new IllegalArgumentException("maxPixels must be within 1..2^30, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
        this.maxInflatedBytes = maxInflatedBytes;
    }

    /** Decodes the first frame with the file's own window (or min–max). */
    public DicomImage decode(byte[] data) {
        return decode(data, 0, null);
    }

    /**
     * Decodes one frame.
     *
     * @param data   a DICOM Part 10 file
     * @param frame  0-based frame index
     * @param window window to apply instead of the file's, or null (grayscale only; colour data is
     *               always shown on its full stored range)
     * @throws ImageFormatException {@code corrupt_image}, {@code truncated_image},
     *                              {@code unsupported_image}, {@code too_large}, or {@code bad_field}
     *                              for a frame index out of range
     */
    public DicomImage decode(byte[] data, int frame, Window window) {
        if (data == null || data.length == 0) {
            throw ImageFormatException.corrupt("DICOM data is empty");
        }
        DicomParser.Parsed parsed = DicomParser.parse(data, KEYWORDS.keySet(), maxInflatedBytes);
        Map<String, String> tags = tags(parsed);
        if (parsed.pixelData() == null) {
            if (tags.containsKey("Rows") && tags.containsKey("Columns") && !parsed.floatPixelData()) {
                // Image attributes without pixel data: the file was almost certainly cut off at an
                // element boundary, which no length check can see.
                throw ImageFormatException.truncated("DICOM file describes a " + tags.get("Columns") + "x"
                        + tags.get("Rows") + " image but ends after " + data.length
                        + " bytes without Pixel Data (7FE0,0010)");
            }
            String kind = parsed.floatPixelData() ? "float/double pixel data, which is not supported"
                    : "no Pixel Data (7FE0,0010); it is not an image (SOP class "
                    + tags.getOrDefault("SOPClassUID", "unknown") + ", modality "
                    + tags.getOrDefault("Modality", "unknown") + ")";
            throw ImageFormatException.unsupported("DICOM file has " + kind);
        }
        PixelLayout layout = PixelLayout.of(tags);
        if ((long) layout.rows() * layout.columns() > maxPixels) {
            throw ImageFormatException.tooLarge("DICOM frame is " + layout.columns() + "x" + layout.rows()
                    + " pixels, over the limit of " + maxPixels);
        }
        if (frame < 0 || frame >= layout.frames()) {
            throw ImageFormatException.badField("frame " + frame + " requested but the DICOM object has "
                    + layout.frames() + " frame(s)");
        }
        double[] stored = DicomPixels.storedValues(parsed, layout, frame);
        return toImage(stored, layout, tags, frame, window);
    }

    private static Map<String, String> tags(DicomParser.Parsed parsed) {
        Map<String, String> tags = new LinkedHashMap<>();
        boolean big = parsed.syntax().bigEndian();
        for (Map.Entry<Integer, String> k : KEYWORDS.entrySet()) {
            byte[] raw = parsed.values().get(k.getKey());
            if (raw == null) {
                continue;
            }
            String value;
            if (US_TAGS.contains(k.getKey())) {
                if (raw.length < 2) {
                    continue;
                }
                int v = big ? (raw[0] & 0xff) << 8 | (raw[1] & 0xff) : (raw[0] & 0xff) | (raw[1] & 0xff) << 8;
                value = Integer.toString(v);
            } else {
                value = DicomParser.text(raw, 0, raw.length);
            }
            if (!value.isEmpty()) {
                tags.put(k.getValue(), value);
            }
        }
        tags.put("TransferSyntaxUID", parsed.syntax().uid());
        return tags;
    }

    private DicomImage toImage(double[] stored, PixelLayout layout, Map<String, String> tags, int frame,
                               Window override) {
        int n = layout.rows() * layout.columns();
        float[] modality = new float[n];
        float[] out;
        String desc = "DICOM " + tags.getOrDefault("Modality", "?") + " " + layout.photometric();
        if (layout.samples() == 3) {
            // Colour: luma in stored units, shown on the full stored range (no VOI for colour).
            double max = (1L << layout.bitsStored()) - 1;
            out = new float[n];
            for (int i = 0; i < n; i++) {
                modality[i] = (float) stored[i];
                out[i] = (float) Math.max(0, Math.min(1, stored[i] / max));
            }
            desc += (layout.photometric().equals("RGB") ? " -> luma" : " -> Y") + " /" + (long) max;
        } else {
            double slope = decimal(tags, "RescaleSlope", 1.0);
            double intercept = decimal(tags, "RescaleIntercept", 0.0);
            for (int i = 0; i < n; i++) {
                modality[i] = (float) (stored[i] * slope + intercept);
            }
            Window fileWindow = fileWindow(tags);
            Window w = override != null ? override : fileWindow;
            out = new float[n];
            if (w != null) {
                for (int i = 0; i < n; i++) {
                    out[i] = w.applyDicom(modality[i]);
                }
                desc += ", " + w + (override != null ? " (requested)" : " (from file)");
            } else {
                double[] range = Intensity.finiteRange(modality);
                out = Intensity.scale(modality, range[0], range[1]);
                desc += ", min-max " + Window.fmt(range[0]) + ".." + Window.fmt(range[1]);
            }
            if (layout.photometric().equals("MONOCHROME1")) {
                for (int i = 0; i < n; i++) {
                    out[i] = 1f - out[i];
                }
                desc += ", inverted";
            }
        }
        GrayImage image = new GrayImage(layout.columns(), layout.rows(), out, desc);
        return new DicomImage(image, modality, layout.frames(), frame, tags);
    }

    /** The first WindowCenter/WindowWidth pair, or null if absent or unusable (width must be >= 1). */
    private static Window fileWindow(Map<String, String> tags) {
        if (!tags.containsKey("WindowCenter") || !tags.containsKey("WindowWidth")) {
            return null;
        }
        double c;
        double w;
        try {
            c = decimal(tags, "WindowCenter", Double.NaN);
            w = decimal(tags, "WindowWidth", Double.NaN);
        } catch (ImageFormatException e) {
            return null; // a malformed display hint should not stop scoring: fall back to min-max
        }
        return Double.isFinite(c) && w >= 1 && Double.isFinite(w) ? new Window(c, w) : null;
    }

    /** First value of a (possibly multi-valued, backslash-separated) decimal string. */
    static double decimal(Map<String, String> tags, String keyword, double fallback) {
        String v = tags.get(keyword);
        if (v == null) {
            return fallback;
        }
        String first = v.split("\\\\", -1)[0].trim();
        if (first.isEmpty()) {
            return fallback;
        }
        try {
            return Double.parseDouble(first);
        } catch (NumberFormatException e) {
            throw ImageFormatException.corrupt(keyword + " is not a decimal number: '" + v + "'");
        }
    }
}
