package io.recon.event;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.testing.HostileImages;
import io.recon.testing.TestFiles;
import io.recon.imaging.Window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


class ImageEventDecoderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path root;
    private ImageEventDecoder decoder;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("claims"));
        decoder = new ImageEventDecoder(MAPPER, root);
    }

    private static ObjectNode envelope(String encoding) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", "evt-1").put("ts", 1_700_000_000_000L).put("source", "scanner-3").put("encoding", encoding);
        return n;
    }

    private static ObjectNode inline(String encoding, byte[] data) {
        return envelope(encoding).put("data", Base64.getEncoder().encodeToString(data));
    }

    private InvalidEventException failure(ObjectNode event) {
        return assertThrows(InvalidEventException.class, () -> decoder.decode(event.toString()));
    }

    private InvalidEventException failure(ImageEventDecoder d, ObjectNode event) {
        return assertThrows(InvalidEventException.class, () -> d.decode(event.toString()));
    }

    @Test
    void dicomInlineTakesModalityFromTheFile() {
        ImageEvent e = decoder.decode(inline("dicom", TestFiles.bytes("CT_small.dcm")).toString());
        assertEquals("evt-1", e.id());
        assertEquals(1_700_000_000_000L, e.ts());
        assertEquals("scanner-3", e.source());
        assertEquals("CT", e.modality());
        assertEquals(128, e.image().width());
        assertEquals(0.37660016842507876, e.image().mean(), 1e-6); // as in DicomImageDecoderTest
    }

    @Test
    void dicomFrameAndWindowFieldsAreApplied() {
        ObjectNode n = inline("dicom", TestFiles.bytes("rtdose.dcm")).put("frame", 14).put("modality", "RTDOSE-override");
        ImageEvent e = decoder.decode(n.toString());
        assertEquals("RTDOSE-override", e.modality());
        ObjectNode w = inline("dicom", TestFiles.bytes("CT_small.dcm"));
        w.putObject("window").put("center", 40).put("width", 80);
        assertTrue(decoder.decode(w.toString()).image().description().contains("window 40/80 (requested)"));
        assertEquals("bad_field", failure(inline("dicom", TestFiles.bytes("rtdose.dcm")).put("frame", 15)).reason());
    }

    @Test
    void pngRawAndNiftiInline() {
        GrayImage img = GrayImage.fromPixels(2, 1, new float[] {0f, 1f}, "");
        ImageEvent png = decoder.decode(inline("png", img.toPng()).put("ts", "2024-01-02T03:04:05Z").toString());
        assertEquals(1704164645000L, png.ts());
        assertEquals("unknown", png.modality());
        assertEquals(1f, png.image().get(1, 0));

        ObjectNode raw = inline("raw", new byte[] {0, (byte) 255, 0, (byte) 255, 0, (byte) 255})
                .put("width", 3).put("height", 2).put("dtype", "uint8").put("modality", "fashion");
        ImageEvent r = decoder.decode(raw.toString());
        assertEquals(3, r.image().width());
        assertEquals(0.5, r.image().mean(), 1e-7);
        assertEquals("fashion", r.modality());

        ImageEvent nii = decoder.decode(inline("nifti", TestFiles.bytes("anatomical.nii")).put("slice", 12).toString());
        assertEquals(0.6354599728310077, nii.image().mean(), 1e-6); // as in NiftiVolumeReaderTest
        ImageEvent middle = decoder.decode(inline("nifti", TestFiles.bytes("anatomical.nii")).toString());
        assertEquals(nii.image(), middle.image()); // default slice is nz / 2 = 12
    }

    @Test
    void aModelsWindowWinsOverTheEventsSoTheModelSeesWhatItWasTrainedOn() {
        // Two int16 pixels, -20 and 100 HU: the CT model's window 40/120 maps them to 0 and 1.
        byte[] hu = {(byte) 0xEC, (byte) 0xFF, 100, 0};
        ObjectNode event = inline("raw", hu).put("width", 2).put("height", 1).put("dtype", "int16");
        event.putObject("window").put("center", 400).put("width", 1800);
        ImageEventDecoder forModel = new ImageEventDecoder(MAPPER, null, ImageEventDecoder.Limits.defaults(),
                new Window(40, 120));
        GrayImage seen = forModel.decode(event.toString()).image();
        assertEquals(0f, seen.get(0, 0), 1e-6);
        assertEquals(1f, seen.get(1, 0), 1e-6);
        // Without a model window the event's bone window applies.
        GrayImage asSent = decoder.decode(event.toString()).image();
        assertEquals(new Window(400, 1800).apply(100), asSent.get(1, 0), 1e-6);
    }

    @Test
    void claimCheckUnderTheRootIsRead() throws IOException {
        Path file = Files.write(root.resolve("ct.dcm"), TestFiles.bytes("CT_small.dcm"));
        ImageEvent e = decoder.decode(envelope("dicom").put("uri", file.toUri().toString()).toString());
        assertEquals(128, e.image().width());
        Files.createDirectory(root.resolve("sub"));
        String dotted = root.toUri() + "sub/../ct.dcm"; // stays inside: allowed
        assertEquals(128, decoder.decode(envelope("dicom").put("uri", dotted).toString()).image().width());
        // A root configured through a symbolic link accepts URIs spelled either way.
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), root);
        ImageEventDecoder viaAlias = new ImageEventDecoder(MAPPER, alias);
        assertEquals(128, viaAlias.decode(envelope("dicom").put("uri", alias.resolve("ct.dcm").toUri().toString())
                .toString()).image().width());
        assertEquals(128, viaAlias.decode(envelope("dicom").put("uri", file.toUri().toString()).toString())
                .image().width());
    }

    @Test
    void claimChecksCannotEscapeTheRoot() throws IOException {
        Path outside = Files.write(tmp.resolve("secret.dcm"), TestFiles.bytes("CT_small.dcm"));
        for (String uri : new String[] {
                root.toUri() + "../secret.dcm",
                root.toUri() + "%2e%2e/secret.dcm",
                outside.toUri().toString(),
                "file:///etc/passwd"}) {
            InvalidEventException e = failure(envelope("dicom").put("uri", uri));
            assertEquals("bad_field", e.reason(), uri);
            assertTrue(e.getMessage().contains("outside the claim-check root"), e.getMessage());
        }
        Files.createSymbolicLink(root.resolve("link.dcm"), outside);
        InvalidEventException link = failure(envelope("dicom").put("uri", root.resolve("link.dcm").toUri().toString()));
        assertEquals("bad_field", link.reason());
        assertTrue(link.getMessage().contains("symbolic link"), link.getMessage());
        assertFalse(link.getMessage().contains(outside.toString()), "the link's target is not revealed: "
                + link.getMessage());
    }

    @Test
    void claimCheckSchemesHostsAndMissingFiles() throws IOException {
        assertEquals("bad_field", failure(envelope("png").put("uri", "https://example.org/x.png")).reason());
        assertEquals("bad_field", failure(envelope("png").put("uri", "file://otherhost/x.png")).reason());
        assertEquals("bad_field", failure(envelope("png").put("uri", "file:relative.png")).reason());
        assertEquals("bad_field", failure(envelope("png").put("uri", "not a uri at all")).reason());
        assertEquals("bad_field", failure(envelope("png").put("uri", root.toUri().toString())).reason()); // a directory
        InvalidEventException missing = failure(envelope("png").put("uri", root.toUri() + "later.png"));
        assertEquals("uri_not_found", missing.reason());
        String beyondTheUri = missing.getMessage().replace(root.toUri() + "later.png", "");
        assertFalse(beyondTheUri.contains(root.toString()) || beyondTheUri.contains(root.toRealPath().toString()),
                "no server path beyond the URI sent: " + missing.getMessage());
        ImageEventDecoder noRoot = new ImageEventDecoder(MAPPER, null);
        InvalidEventException disabled = failure(noRoot, envelope("png").put("uri", root.toUri() + "x.png"));
        assertEquals("bad_field", disabled.reason());
        assertTrue(disabled.getMessage().contains("disabled"), disabled.getMessage());
    }

    @Test
    void envelopeErrorsNameTheField() {
        ObjectNode noId = inline("png", new byte[] {1});
        noId.remove("id");
        InvalidEventException e = failure(noId);
        assertEquals("missing_field", e.reason());
        assertTrue(e.getMessage().contains("'id'"), e.getMessage());

        ObjectNode noTs = inline("png", new byte[] {1});
        noTs.remove("ts");
        assertEquals("missing_field", failure(noTs).reason());
        assertEquals("bad_field", failure(inline("png", new byte[] {1}).put("ts", "yesterday")).reason());
        assertEquals("missing_field", failure(envelope("png")).reason()); // neither data nor uri
        assertEquals("bad_field", failure(inline("png", new byte[] {1}).put("uri", "file:///x")).reason());
        InvalidEventException enc = failure(inline("tiff", new byte[] {1}));
        assertEquals("bad_field", enc.reason());
        assertTrue(enc.getMessage().contains("png, dicom, raw, nifti"), enc.getMessage());
        assertEquals("bad_field", failure(envelope("png").put("data", "@@not base64@@")).reason());
        assertEquals("bad_field", failure(envelope("png").put("data", 42)).reason());

        ObjectNode raw = inline("raw", new byte[4]).put("height", 2).put("dtype", "uint8");
        InvalidEventException w = failure(raw);
        assertEquals("missing_field", w.reason());
        assertTrue(w.getMessage().contains("'width'"), w.getMessage());
        assertEquals("bad_field", failure(inline("raw", new byte[4]).put("width", 2).put("height", 2)
                .put("dtype", "int64")).reason());
        assertEquals("bad_field", failure(inline("raw", new byte[4]).put("width", 2).put("height", 2)
                .put("dtype", "uint8").put("byteOrder", "middle")).reason());
        assertEquals("bad_field", failure(inline("raw", new byte[5]).put("width", 2).put("height", 2)
                .put("dtype", "uint8")).reason()); // 5 bytes for 4 pixels
        assertEquals("bad_field", failure(inline("png", new byte[] {1}).put("frame", 0)).reason());
        ObjectNode badWindow = inline("raw", new byte[4]).put("width", 2).put("height", 2).put("dtype", "uint8");
        badWindow.putObject("window").put("center", 1).put("width", 0);
        assertEquals("bad_field", failure(badWindow).reason());

        assertEquals("invalid_json", assertThrows(InvalidEventException.class, () -> decoder.decode("{\"id\": ")).reason());
        assertEquals("not_an_object", assertThrows(InvalidEventException.class, () -> decoder.decode("[1,2]")).reason());
        assertEquals("empty_payload", assertThrows(InvalidEventException.class, () -> decoder.decode(new byte[0])).reason());
    }

    @Test
    void imageErrorsKeepTheirReasonAndCause() {
        InvalidEventException jpeg = failure(inline("dicom", TestFiles.bytes("SC_rgb_jpeg_dcmtk.dcm")));
        assertEquals("unsupported_image", jpeg.reason());
        assertTrue(jpeg.getMessage().startsWith("dicom image in event 'evt-1': DICOM transfer syntax "
                + "1.2.840.10008.1.2.4.50 (JPEG baseline)"), jpeg.getMessage());
        assertInstanceOf(ImageFormatException.class, jpeg.getCause());
        assertEquals("truncated_image", failure(inline("dicom", TestFiles.bytes("MR_truncated.dcm"))).reason());
        assertEquals("corrupt_image", failure(inline("png", "plain text".getBytes())).reason());
        assertEquals("unsupported_image", failure(inline("nifti", TestFiles.bytes("example_nifti2.nii.gz"))).reason());
        assertEquals("bad_field", failure(inline("nifti", TestFiles.bytes("anatomical.nii")).put("slice", 25)).reason());
    }

    @Test
    void sizeLimitsApplyToBase64DecodedBytesAndClaimChecks() throws IOException {
        ImageEventDecoder.Limits small = new ImageEventDecoder.Limits(1000, 600, 1 << 20, 1 << 20);
        ImageEventDecoder d = new ImageEventDecoder(MAPPER, root, small);
        InvalidEventException chars = failure(d, inline("png", new byte[800])); // 1068 base64 chars
        assertEquals("too_large", chars.reason());
        assertTrue(chars.getMessage().contains("1068 base64 characters"), chars.getMessage());
        assertEquals("too_large", failure(d, inline("png", new byte[700])).reason()); // 936 chars, 700 bytes
        Path big = Files.write(root.resolve("big.dcm"), TestFiles.bytes("CT_small.dcm"));
        assertEquals("too_large", failure(d, envelope("dicom").put("uri", big.toUri().toString())).reason());
        byte[] hugePayload = ("{\"id\":\"" + "x".repeat(70_000) + "\"}").getBytes();
        assertEquals("too_large", assertThrows(InvalidEventException.class, () -> d.decode(hugePayload)).reason());
        // Pixel limit reaches the decoders too.
        ImageEventDecoder tiny = new ImageEventDecoder(MAPPER, root, new ImageEventDecoder.Limits(1 << 20, 1 << 20, 100, 1 << 20));
        assertEquals("too_large", failure(tiny, inline("dicom", TestFiles.bytes("MR_small.dcm"))).reason());
    }

    @Test
    void aDecoderForAModelResizesEachImageRightAfterDecoding() {
        ImageEventDecoder forModel = new ImageEventDecoder(MAPPER, null, ImageEventDecoder.Limits.defaults(), null,
                28, 28);
        ImageEvent dicom = forModel.decode(inline("dicom", TestFiles.bytes("CT_small.dcm")).toString());
        assertEquals(28, dicom.image().width());
        assertEquals(28, dicom.image().height());
        // The hostile strip: 1 x 16,777,216 pixels in a 33 KB PNG, at the pixel limit.
        java.awt.image.BufferedImage strip = new java.awt.image.BufferedImage(1, 1 << 24,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(strip, "png", png);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ImageEvent decoded = forModel.decode(inline("png", png.toByteArray()).toString());
        assertEquals(28 * 28, decoded.image().pixels().length);
        assertThrows(IllegalArgumentException.class,
                () -> new ImageEventDecoder(MAPPER, null, ImageEventDecoder.Limits.defaults(), null, 28, 0));
    }

    @Test
    void aDeflatedDicomBombIsRefusedBeforeItInflates() {
        byte[] bomb = HostileImages.deflatedDicomBomb(100 << 20);
        assertTrue(bomb.length < 200_000, "bomb is " + bomb.length + " bytes");
        InvalidEventException e = failure(inline("dicom", bomb));
        assertEquals("too_large", e.reason());
        assertTrue(e.getMessage().contains("inflat"), e.getMessage());
    }

    @Test
    void theSharedMapperIsNotReconfigured() {
        int before = MAPPER.getFactory().streamReadConstraints().getMaxStringLength();
        new ImageEventDecoder(MAPPER, null, new ImageEventDecoder.Limits(64 << 20, 64 << 20, 1 << 20, 1 << 20));
        assertEquals(before, MAPPER.getFactory().streamReadConstraints().getMaxStringLength());
    }

    @Test
    void lineWrappedBase64IsAccepted() {
        String wrapped = Base64.getMimeEncoder().encodeToString(TestFiles.bytes("MR_small.dcm"));
        assertTrue(wrapped.contains("\r\n"));
        ImageEvent e = decoder.decode(envelope("dicom").put("data", wrapped).toString());
        assertEquals("MR", e.modality());
    }
}
