package io.recon.event;

import io.recon.imaging.codec.DicomImage;
import io.recon.imaging.codec.DicomImageDecoder;
import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.codec.NiftiVolumeReader;
import io.recon.imaging.codec.PngImageDecoder;
import io.recon.imaging.codec.RawImageDecoder;
import io.recon.imaging.Volume;
import io.recon.imaging.Window;
import static io.recon.event.EnvelopeFields.abbreviate;
import static io.recon.event.EnvelopeFields.eventId;
import static io.recon.event.EnvelopeFields.requiredText;
import static io.recon.event.EnvelopeFields.timestamp;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * Decodes the JSON envelope of an image event and the image inside it.
 *
 * <pre>{@code
 * {"id": "e-1", "ts": 1700000000000 | "2024-01-01T00:00:00Z", "source": "ct-3", "modality": "CT",
 *  "encoding": "png" | "dicom" | "raw" | "nifti",
 *  "data": "<base64>"  or  "uri": "file:///claims/e-1.dcm",
 *  "width": 28, "height": 28, "dtype": "uint8|uint16|int16|float32", "byteOrder": "little|big",  (raw)
 *  "frame": 0 (dicom), "slice": 90 (nifti; default the middle slice),
 *  "window": {"center": 40, "width": 80}  (optional, dicom/raw/nifti)}
 * }</pre>
 *
 * <p><b>Errors.</b> Everything is reported as {@link InvalidEventException}, the consumer's single
 * dead-letter path. Envelope problems use the telemetry decoder's codes ({@code empty_payload},
 * {@code invalid_json}, {@code not_an_object}, {@code missing_field}, {@code bad_field},
 * {@code too_large}) plus {@code uri_not_found} for a claim check whose file does not exist (yet).
 * Image problems keep the {@link ImageFormatException#reason()} of the decoder ({@code corrupt_image},
 * {@code truncated_image}, {@code unsupported_image}, {@code too_large}, {@code bad_field}), with the
 * decoder's exception as the cause.
 *
 * <p><b>Claim checks.</b> Only {@code file:} URIs are followed, and only to regular files under the
 * configured root; {@code ..} segments and symbolic links leading outside it are refused
 * ({@code bad_field}). Without a root, {@code uri} is refused altogether.
 */
public final class ImageEventDecoder {

    /** Inflated room per pixel allowed for a deflated DICOM dataset (8-bit RGBA, 32-bit gray). */
    static final long BYTES_PER_DICOM_PIXEL = 4;

    /** Room for the envelope's other fields on top of the base64 text. */
    private static final int ENVELOPE_SLACK = 64 * 1024;

    /**
     * Size limits.
     *
     * @param maxBase64Chars   longest accepted {@code data} text
     * @param maxDecodedBytes  largest accepted image file (decoded {@code data} or {@code uri} target)
     * @param maxPixels        largest accepted image (per frame / slice)
     * @param maxInflatedBytes largest accepted decompressed NIfTI file or deflated DICOM dataset (the
     *                         latter also at most {@code maxPixels} x 4 bytes + 1 MiB)
     */
    public record Limits(int maxBase64Chars, int maxDecodedBytes, long maxPixels, long maxInflatedBytes) {

        /** 16 MiB of base64, 16 MiB decoded, 4096 x 4096 pixels, 256 MiB inflated. */
        public static Limits defaults() {
            return new Limits(16 * 1024 * 1024, 16 * 1024 * 1024, 4096L * 4096L, 256L * 1024 * 1024);
        }
    }

    private final ObjectMapper mapper;
    private final Path allowedRoot;     // as configured, absolute and normalised
    private final Path allowedRealRoot; // with symbolic links resolved
    private final Limits limits;
    private final PngImageDecoder png;
    private final DicomImageDecoder dicom;
    private final RawImageDecoder raw;
    private final NiftiVolumeReader nifti;
    private final Window modelWindow;   // null: the event's window, else the file's own
    private final int targetWidth;      // 0: images keep their decoded size
    private final int targetHeight;

    /** A decoder with default limits; {@code allowedRoot} may be null to refuse claim-check URIs. */
    public ImageEventDecoder(ObjectMapper mapper, Path allowedRoot) {
        this(mapper, allowedRoot, Limits.defaults());
    }

    /**
     * @param mapper      the application's mapper (copied, so raising Jackson's string-length limit
     *                    to fit {@code maxBase64Chars} does not affect other users)
     * @param allowedRoot directory claim-check files must live under, or null to refuse {@code uri}
     * @param limits      size limits
     * @throws IllegalArgumentException if {@code allowedRoot} does not exist
     */
    public ImageEventDecoder(ObjectMapper mapper, Path allowedRoot, Limits limits) {
        this(mapper, allowedRoot, limits, null);
    }

    /**
     * A decoder for a model trained on images seen through {@code modelWindow} (e.g. a CT model in
     * Hounsfield units): DICOM, raw and NIfTI images are then always shown through that window,
     * whatever window the event or the file names, because any other window would present the model
     * with intensities it never saw. PNG images are taken as they are (already 8-bit).
     *
     * @param modelWindow the model's window, or null to use the event's (else the file's)
     */
    public ImageEventDecoder(ObjectMapper mapper, Path allowedRoot, Limits limits, Window modelWindow) {
        this(mapper, allowedRoot, limits, modelWindow, 0, 0);
    }

    /**
     * A decoder for a model that takes {@code width x height} images: each image is resized to that
     * right after it is decoded, so a batch holds one full-size image at a time (the one being
     * decoded) however many large images it carries.
     */
    public ImageEventDecoder(ObjectMapper mapper, Path allowedRoot, Limits limits, Window modelWindow, int width,
            int height) {
        if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException("target size must be positive (or 0x0 to keep sizes), got "
                    + width + "x" + height);
        }
        this.targetWidth = width;
        this.targetHeight = height;
        this.modelWindow = modelWindow;
        this.limits = limits;
        this.mapper = mapper.copy();
        StreamReadConstraints current = this.mapper.getFactory().streamReadConstraints();
        int needed = limits.maxBase64Chars() + ENVELOPE_SLACK;
        if (current.getMaxStringLength() < needed) {
            this.mapper.getFactory().setStreamReadConstraints(
                    current.rebuild().maxStringLength(needed).build());
        }
        if (allowedRoot != null) {
            this.allowedRoot = allowedRoot.toAbsolutePath().normalize();
            try {
                this.allowedRealRoot = allowedRoot.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("claim-check root " + allowedRoot + " does not exist", e);
            }
        } else {
            this.allowedRoot = null;
            this.allowedRealRoot = null;
        }
        this.png = new PngImageDecoder(limits.maxPixels());
        // A deflated DICOM dataset holds one image (rarely a few frames): it needs no more room than
        // the largest frame at 4 bytes a pixel, whatever a NIfTI volume may take. A 255 KB deflate
        // bomb once inflated to 250 MB here.
        this.dicom = new DicomImageDecoder(limits.maxPixels(), Math.min(limits.maxInflatedBytes(),
                limits.maxPixels() * BYTES_PER_DICOM_PIXEL + (1 << 20)));
        this.raw = new RawImageDecoder(limits.maxPixels());
        this.nifti = new NiftiVolumeReader(limits.maxInflatedBytes(), limits.maxPixels());
    }

    /** Decodes UTF-8 JSON text. */
    public ImageEvent decode(String json) {
        if (json == null) {
            throw new InvalidEventException("empty_payload", "payload is empty (null record value)");
        }
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The event with its image at the model's size (as it is when no size was given). */
    private ImageEvent atModelSize(ImageEvent event) {
        if (targetWidth == 0) {
            return event;
        }
        return new ImageEvent(event.id(), event.ts(), event.source(), event.modality(),
                event.image().resize(targetWidth, targetHeight));
    }

    /** Decodes UTF-8 JSON bytes. */
    public ImageEvent decode(byte[] payload) {
        return fromTree(envelope(payload));
    }

    /**
     * Checks the payload's size and parses its JSON, without decoding the image: what a router
     * needs to read the envelope's {@code modality} first.
     */
    public JsonNode envelope(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new InvalidEventException("empty_payload", "payload is empty");
        }
        long maxPayload = (long) limits.maxBase64Chars() + ENVELOPE_SLACK;
        if (payload.length > maxPayload) {
            throw new InvalidEventException("too_large", "payload is " + payload.length + " bytes, over the limit of "
                    + maxPayload + " (base64 'data' of at most " + limits.maxBase64Chars() + " characters plus the "
                    + "envelope); send large images by claim check ('uri')");
        }
        try {
            return mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw JsonRejections.of(e);
        } catch (IOException e) {
            throw new InvalidEventException("invalid_json", "payload could not be read: " + e.getMessage());
        }
    }

    /** Decodes an already parsed JSON tree (the REST path). */
    public ImageEvent fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("not_an_object", "payload must be a JSON object with id, ts, source, "
                    + "encoding and data or uri, got " + (root == null ? "nothing" : root.getNodeType().toString()
                    .toLowerCase(Locale.ROOT)));
        }
        String id = eventId(root);
        long ts = timestamp(root.get("ts"));
        String source = requiredText(root, "source");
        String modality = optionalText(root, "modality");
        String encoding = requiredText(root, "encoding").toLowerCase(Locale.ROOT);
        if (!encoding.equals("png") && !encoding.equals("dicom") && !encoding.equals("raw")
                && !encoding.equals("nifti")) {
            throw new InvalidEventException("bad_field", "field 'encoding' must be one of png, dicom, raw, nifti, got '"
                    + abbreviate(encoding) + "'");
        }
        Window eventWindow = window(root.get("window"), encoding);
        Window window = modelWindow != null ? modelWindow : eventWindow;
        // Parameters are checked before the (possibly large) image bytes are decoded or read.
        RawParams rawParams = encoding.equals("raw") ? rawParams(root) : null;
        int frame = optionalIndex(root, "frame", encoding, "dicom");
        int slice = optionalIndex(root, "slice", encoding, "nifti");
        byte[] bytes = imageBytes(root);
        try {
            return atModelSize(switch (encoding) {
                case "png" -> new ImageEvent(id, ts, source, orUnknown(modality), png.decode(bytes));
                case "raw" -> new ImageEvent(id, ts, source, orUnknown(modality), raw.decode(bytes, rawParams.width,
                        rawParams.height, rawParams.dtype, rawParams.order, window));
                case "dicom" -> {
                    DicomImage d = dicom.decode(bytes, Math.max(frame, 0), window);
                    yield new ImageEvent(id, ts, source, modality != null ? modality : orUnknown(
                            d.modality().isEmpty() ? null : d.modality()), d.image());
                }
                default -> {
                    Volume v = nifti.read(bytes);
                    int z = slice >= 0 ? slice : v.nz() / 2;
                    GrayImage img = window != null ? v.axialSlice(z, window) : v.axialSlice(z);
                    yield new ImageEvent(id, ts, source, orUnknown(modality), img);
                }
            });
        } catch (ImageFormatException e) {
            InvalidEventException ex = new InvalidEventException(e.reason(), encoding + " image in event '"
                    + abbreviate(id) + "': " + e.getMessage());
            ex.initCause(e);
            throw ex;
        }
    }

    private record RawParams(int width, int height, RawImageDecoder.Dtype dtype, ByteOrder order) {
    }

    private static RawParams rawParams(JsonNode root) {
        int width = requiredPositiveInt(root, "width");
        int height = requiredPositiveInt(root, "height");
        String dtypeText = requiredText(root, "dtype");
        RawImageDecoder.Dtype dtype;
        try {
            dtype = RawImageDecoder.Dtype.parse(dtypeText);
        } catch (ImageFormatException e) {
            throw new InvalidEventException("bad_field", "field 'dtype' must be uint8, uint16, int16 or float32, got '"
                    + abbreviate(dtypeText) + "'");
        }
        String order = optionalText(root, "byteOrder");
        ByteOrder byteOrder;
        if (order == null || order.equalsIgnoreCase("little") || order.equalsIgnoreCase("little_endian")) {
            byteOrder = ByteOrder.LITTLE_ENDIAN;
        } else if (order.equalsIgnoreCase("big") || order.equalsIgnoreCase("big_endian")) {
            byteOrder = ByteOrder.BIG_ENDIAN;
        } else {
            throw new InvalidEventException("bad_field", "field 'byteOrder' must be 'little' or 'big', got '"
                    + abbreviate(order) + "'");
        }
        return new RawParams(width, height, dtype, byteOrder);
    }

    /** The image file bytes, from inline base64 {@code data} or a {@code file:} claim check. */
    private byte[] imageBytes(JsonNode root) {
        JsonNode data = root.get("data");
        JsonNode uri = root.get("uri");
        boolean hasData = data != null && !data.isNull();
        boolean hasUri = uri != null && !uri.isNull();
        if (hasData && hasUri) {
            throw new InvalidEventException("bad_field", "give either 'data' (base64) or 'uri' (claim check), not both");
        }
        if (!hasData && !hasUri) {
            throw new InvalidEventException("missing_field", "field 'data' (base64 image bytes) or 'uri' (file: claim "
                    + "check) is required");
        }
        return hasData ? base64(data) : claimCheck(uri);
    }

    private byte[] base64(JsonNode node) {
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new InvalidEventException("bad_field", "field 'data' must be a non-empty base64 string");
        }
        String text = node.asText();
        if (text.length() > limits.maxBase64Chars()) {
            throw new InvalidEventException("too_large", "field 'data' is " + text.length()
                    + " base64 characters, over the limit of " + limits.maxBase64Chars());
        }
        // Tolerate line-wrapped base64 (MIME, Python's encodebytes) but nothing else that is not base64.
        String compact = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf(' ') >= 0
                ? text.replaceAll("[\\r\\n ]", "") : text;
        if ((long) compact.length() / 4 * 3 > limits.maxDecodedBytes() + 3L) {
            throw new InvalidEventException("too_large", "field 'data' decodes to about " + compact.length() / 4 * 3
                    + " bytes, over the limit of " + limits.maxDecodedBytes());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("bad_field", "field 'data' is not valid base64: " + e.getMessage());
        }
        if (bytes.length > limits.maxDecodedBytes()) {
            throw new InvalidEventException("too_large", "field 'data' decodes to " + bytes.length
                    + " bytes, over the limit of " + limits.maxDecodedBytes());
        }
        return bytes;
    }

    /**
     * The bytes of a claim-checked image. Errors quote the URI as sent, never the server's resolved
     * path or a link's target: a sender learns nothing about the file system beyond its own URI.
     */
    private byte[] claimCheck(JsonNode node) {
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidEventException("bad_field", "field 'uri' must be a non-empty string like "
                    + "file:///claims/event.dcm");
        }
        String text = node.asText();
        if (allowedRoot == null) {
            throw new InvalidEventException("bad_field", "field 'uri' (claim check) is disabled: no allowed root "
                    + "directory is configured; send the image inline in 'data'");
        }
        URI uri;
        Path path;
        try {
            uri = new URI(text);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                throw new InvalidEventException("bad_field", "field 'uri' must be a file: URI, got scheme '"
                        + uri.getScheme() + "' in " + abbreviate(text));
            }
            if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()
                    && !uri.getAuthority().equalsIgnoreCase("localhost")) {
                throw new InvalidEventException("bad_field", "field 'uri' names host '" + uri.getAuthority()
                        + "'; only local files (file:///path) are supported");
            }
            path = Path.of(new URI("file", null, uri.getPath(), null));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new InvalidEventException("bad_field", "field 'uri' is not a usable file: URI ("
                    + e.getMessage() + "): " + abbreviate(text));
        }
        Path normal = path.normalize();
        // Either spelling of the root is fine (e.g. /tmp/claims and its real /private/tmp/claims);
        // what the path finally resolves to is checked against the real root below.
        if (!normal.startsWith(allowedRoot) && !normal.startsWith(allowedRealRoot)) {
            throw new InvalidEventException("bad_field", "field 'uri' points outside the claim-check root "
                    + "(recon.imaging.uri-root): " + abbreviate(text));
        }
        if (!Files.exists(normal)) {
            throw new InvalidEventException("uri_not_found", "field 'uri' names a file that does not exist: "
                    + abbreviate(text));
        }
        try {
            Path real = normal.toRealPath();
            if (!real.startsWith(allowedRealRoot)) {
                throw new InvalidEventException("bad_field", "field 'uri' resolves through a symbolic link to a file "
                        + "outside the claim-check root: " + abbreviate(text));
            }
            if (!Files.isRegularFile(real)) {
                throw new InvalidEventException("bad_field", "field 'uri' names something that is not a regular file: "
                        + abbreviate(text));
            }
            long size = Files.size(real);
            if (size > limits.maxDecodedBytes()) {
                throw new InvalidEventException("too_large", "the claim-check file is " + size
                        + " bytes, over the limit of " + limits.maxDecodedBytes() + ": " + abbreviate(text));
            }
            return Files.readAllBytes(real);
        } catch (IOException e) {
            throw new InvalidEventException("uri_not_found", "the claim-check file cannot be read ("
                    + e.getClass().getSimpleName() + "): " + abbreviate(text));
        }
    }

    private static Window window(JsonNode node, String encoding) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (encoding.equals("png")) {
            throw new InvalidEventException("bad_field", "field 'window' applies to dicom, raw and nifti images, not png");
        }
        JsonNode c = node.get("center");
        JsonNode w = node.get("width");
        if (!node.isObject() || c == null || w == null || !c.isNumber() || !w.isNumber()
                || !Double.isFinite(c.asDouble()) || !(w.asDouble() > 0) || !Double.isFinite(w.asDouble())) {
            throw new InvalidEventException("bad_field", "field 'window' must be {\"center\": number, \"width\": "
                    + "number > 0}, got " + abbreviate(node.toString()));
        }
        return new Window(c.asDouble(), w.asDouble());
    }

    /** An optional non-negative integer that only applies to one encoding; -1 when absent. */
    private static int optionalIndex(JsonNode root, String field, String encoding, String appliesTo) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return -1;
        }
        if (!encoding.equals(appliesTo)) {
            throw new InvalidEventException("bad_field", "field '" + field + "' applies to " + appliesTo
                    + " images only, not " + encoding);
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw new InvalidEventException("bad_field", "field '" + field + "' must be a non-negative integer, got "
                    + abbreviate(node.toString()));
        }
        return node.asInt();
    }

    private static int requiredPositiveInt(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidEventException("missing_field", "field '" + field + "' is required for raw images "
                    + "(a positive integer)");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
            throw new InvalidEventException("bad_field", "field '" + field + "' must be a positive integer, got "
                    + abbreviate(node.toString()));
        }
        return node.asInt();
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidEventException("bad_field", "field '" + field + "' must be a non-empty string when "
                    + "present, got " + abbreviate(node.toString()));
        }
        return node.asText();
    }

    private static String orUnknown(String modality) {
        return modality != null ? modality : "unknown";
    }
}
