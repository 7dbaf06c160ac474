package io.recon.imaging.codec;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.Intensity;
import io.recon.testing.TestFiles;
import io.recon.imaging.Window;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reference values come from pydicom 2.3.1 + numpy 1.24.2 ({@code pixel_array},
 * {@code apply_modality_lut}, and the PS3.3 linear VOI formula, which equals pydicom's
 * {@code apply_voi_lut} to 1e-16); see src/test/resources/imaging/reference_stats.py. numpy indexes
 * [row, col]; {@link DicomImage#modalityValue(int, int)} takes (x = col, y = row).
 */
class DicomImageDecoderTest {

    private final DicomImageDecoder decoder = new DicomImageDecoder();

    private DicomImage decode(String name) {
        return decoder.decode(TestFiles.bytes(name));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double[] range(float[] v) {
        return Intensity.finiteRange(v);
    }

    private static ImageFormatException failure(byte[] data) {
        return assertThrows(ImageFormatException.class, () -> new DicomImageDecoder().decode(data));
    }

    @Test
    void ctExplicitLittleEndianSigned16WithRescaleIntercept() {
        DicomImage ct = decode("CT_small.dcm");
        assertEquals(128, ct.width());
        assertEquals(128, ct.height());
        assertEquals("CT", ct.modality());
        assertEquals("1.2.840.10008.1.2.1", ct.tag("TransferSyntaxUID"));
        assertEquals("-1024", ct.tag("RescaleIntercept"));
        assertEquals("1", ct.tag("PixelRepresentation"));
        // pydicom: HU min -896, max 1167, mean -119.0738525390625
        assertArrayEquals(new double[] {-896, 1167}, range(ct.modalityValues()));
        assertEquals(-119.0738525390625, mean(ct.modalityValues()), 1e-9);
        assertEquals(-849f, ct.modalityValue(0, 0));
        assertEquals(904f, ct.modalityValue(64, 64));
        assertEquals(-115f, ct.modalityValue(127, 127));
        assertEquals(-807f, ct.modalityValue(96, 32));
        // No WindowCenter/Width in the file: min-max of the HU values; numpy mean 0.37660016842507876.
        assertEquals(0.37660016842507876, ct.image().mean(), 1e-6);
        assertTrue(ct.image().description().contains("min-max -896..1167"), ct.image().description());
        assertEquals(0f, ct.image().get(0, 0) - (float) ((-849 + 896) / 2063.0), 1e-6f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm"})
    void sameMrInFourTransferSyntaxesDecodesIdentically(String name) {
        DicomImage mr = decode(name);
        assertEquals(64, mr.width());
        assertEquals("MR", mr.modality());
        // pydicom: min 127, max 2145, mean 518.88134765625, same for all four files
        assertArrayEquals(new double[] {127, 2145}, range(mr.modalityValues()));
        assertEquals(518.88134765625, mean(mr.modalityValues()), 1e-9);
        assertEquals(905f, mr.modalityValue(0, 0));
        assertEquals(182f, mr.modalityValue(32, 32));
        assertEquals(862f, mr.modalityValue(63, 63));
        assertEquals(299f, mr.modalityValue(48, 16));
        // File window 600/1600 with the PS3.3 linear function; numpy mean 0.4433778496814415
        assertEquals("600", mr.tag("WindowCenter"));
        assertEquals(0.4433778496814415, mr.image().mean(), 1e-6);
        assertEquals(0.6910569105691057, mr.image().get(0, 0), 1e-6);
        assertEquals(0.23889931207004378, mr.image().get(32, 32), 1e-6);
        assertEquals(0.31207004377736086, mr.image().get(48, 16), 1e-6);
        assertArrayEquals(decode("MR_small.dcm").modalityValues(), mr.modalityValues());
    }

    @Test
    void transferSyntaxesAreReported() {
        assertEquals("1.2.840.10008.1.2", decode("MR_small_implicit.dcm").tag("TransferSyntaxUID"));
        assertEquals("1.2.840.10008.1.2.2", decode("MR_small_bigendian.dcm").tag("TransferSyntaxUID"));
        assertEquals("1.2.840.10008.1.2.5", decode("MR_small_RLE.dcm").tag("TransferSyntaxUID"));
    }

    @Test
    void monochrome1IsInvertedAfterWindowing() {
        DicomImage cr = decode("CR_MONOCHROME1_6154.dcm");
        assertEquals("MONOCHROME1", cr.tag("PhotometricInterpretation"));
        assertEquals("CR", cr.modality());
        assertEquals("CSPINE", cr.bodyPart());
        // RescaleSlope 0.684, intercept 200: pydicom min 1563.896, max 2116.568, mean 1926.2743906250003
        double[] r = range(cr.modalityValues());
        assertEquals(1563.896, r[0], 1e-3);
        assertEquals(2116.568, r[1], 1e-3);
        assertEquals(1926.2743906250003, mean(cr.modalityValues()), 1e-3);
        assertEquals(1979.768, cr.modalityValue(12, 4), 1e-3);
        // Window 1600/2800 then 1 - v: numpy mean 0.383253165192926
        assertEquals(0.383253165192926, cr.image().mean(), 1e-5);
        assertEquals(0.5127202572347267, cr.image().get(0, 0), 1e-5);
        assertEquals(0.38540192926045, cr.image().get(8, 8), 1e-5);
        assertEquals(0.3641414790996784, cr.image().get(12, 4), 1e-5);
        assertTrue(cr.image().description().endsWith("inverted"), cr.image().description());
    }

    @Test
    void undefinedLengthSequenceBeforePixelDataIsSkipped() {
        DicomImage ct = decode("CT_undefined_length_sq_2062.dcm");
        assertEquals(16, ct.width());
        // pydicom: min -888, max 44, mean -354.28515625; window 40/400 -> mean 0.1733239348370927
        assertArrayEquals(new double[] {-888, 44}, range(ct.modalityValues()));
        assertEquals(-354.28515625, mean(ct.modalityValues()), 1e-9);
        assertEquals(-50f, ct.modalityValue(0, 0));
        assertEquals(-798f, ct.modalityValue(12, 4));
        assertEquals(0.1733239348370927, ct.image().mean(), 1e-6);
        assertEquals(0.2756892230576441, ct.image().get(0, 0), 1e-6);
    }

    @Test
    void enhancedMrWithThousandsOfNestedUndefinedLengthSequences() {
        // Philips enhanced MR: ~1800 undefined-length sequences in per-frame functional groups,
        // 176 frames; the anonymised pixel data is all zero (pydicom: min = max = 0).
        byte[] data = TestFiles.gunzip(TestFiles.bytes("philips_mprage.dcm.gz"));
        DicomImage first = decoder.decode(data, 0, null);
        DicomImage last = decoder.decode(data, 175, null);
        assertEquals(176, first.frameCount());
        assertEquals(256, first.width());
        assertEquals("MR", first.modality());
        assertEquals("ORBIT", first.bodyPart());
        assertArrayEquals(new double[] {0, 0}, range(last.modalityValues()));
        assertEquals(0.0, first.image().mean());
        assertEquals(175, last.frameIndex());
        assertEquals("bad_field", assertThrows(ImageFormatException.class, () -> decoder.decode(data, 176, null)).reason());
    }

    @Test
    void multiFrame32BitNativeAndRleAgree() {
        byte[] nativeBytes = TestFiles.bytes("rtdose.dcm");
        byte[] rleBytes = TestFiles.bytes("rtdose_rle.dcm");
        for (byte[] data : new byte[][] {nativeBytes, rleBytes}) {
            DicomImage f0 = decoder.decode(data, 0, null);
            assertEquals(15, f0.frameCount());
            assertEquals("RTDOSE", f0.modality());
            // pydicom frame 0: min 795000, max 1254000, mean 1013780; last frame: 796000..1251000, mean 1013910
            assertArrayEquals(new double[] {795000, 1254000}, range(f0.modalityValues()));
            assertEquals(1013780.0, mean(f0.modalityValues()), 1e-6);
            assertEquals(1249000f, f0.modalityValue(0, 0));
            assertEquals(978000f, f0.modalityValue(5, 5));
            assertEquals(1142000f, f0.modalityValue(7, 2));
            assertEquals(0.4766448801742919, f0.image().mean(), 1e-6);
            DicomImage f14 = decoder.decode(data, 14, null);
            assertArrayEquals(new double[] {796000, 1251000}, range(f14.modalityValues()));
            assertEquals(1013910.0, mean(f14.modalityValues()), 1e-6);
        }
        for (int f = 0; f < 15; f++) {
            assertArrayEquals(decoder.decode(nativeBytes, f, null).modalityValues(),
                    decoder.decode(rleBytes, f, null).modalityValues(), "frame " + f);
        }
        assertEquals("bad_field", assertThrows(ImageFormatException.class, () -> decoder.decode(nativeBytes, 15, null))
                .reason());
        assertEquals("bad_field", assertThrows(ImageFormatException.class, () -> decoder.decode(nativeBytes, -1, null))
                .reason());
    }

    @Test
    void rgbIsConvertedToLuma() {
        // numpy on pydicom's pixel_array: luma = 0.299 R + 0.587 G + 0.114 B
        DicomImage rle = decode("SC_rgb_rle.dcm");
        assertEquals(100, rle.width());
        assertEquals(127.7, mean(rle.modalityValues()), 1e-4);
        assertEquals(76.245, rle.modalityValue(0, 0), 1e-3);
        assertEquals(142.478, rle.modalityValue(33, 50), 1e-3);
        assertEquals(142.478 / 255, rle.image().get(33, 50), 1e-5);

        DicomImage odd = decode("SC_rgb_small_odd.dcm");
        assertEquals(3, odd.width());
        assertEquals(128.76633333333334, mean(odd.modalityValues()), 1e-4);
        assertEquals(138.329, odd.modalityValue(0, 0), 1e-3);
        assertEquals(89.97, odd.modalityValue(1, 1), 1e-3);

        DicomImage be = decode("ExplVR_BigEnd.dcm");
        assertEquals(80, be.width());
        assertEquals(60, be.height());
        assertEquals("US", be.modality());
        assertEquals(222.43570625, mean(be.modalityValues()), 1e-4);
        assertEquals(171.0, be.modalityValue(0, 0), 1e-3);
        assertEquals(225.93, be.modalityValue(26, 30), 1e-3);
    }

    @Test
    void deflatedExplicitLittleEndian() {
        DicomImage d = decode("image_dfl.dcm");
        assertEquals("1.2.840.10008.1.2.1.99", d.tag("TransferSyntaxUID"));
        assertEquals(512, d.width());
        // pydicom: min 0, max 255, mean 127.115966796875
        assertEquals(127.115966796875, mean(d.modalityValues()), 1e-9);
        assertEquals(213f, d.modalityValue(0, 0));
        assertEquals(65f, d.modalityValue(256, 256));
        assertEquals(164f, d.modalityValue(384, 128));
        // A deflate bomb guard: a tiny inflate limit refuses it.
        assertEquals("too_large", assertThrows(ImageFormatException.class,
                () -> new DicomImageDecoder(1 << 20, 1000).decode(TestFiles.bytes("image_dfl.dcm"))).reason());
    }

    @Test
    void callerWindowOverridesTheFileWindow() {
        DicomImage ct = decoder.decode(TestFiles.bytes("CT_small.dcm"), 0, Window.CT_BRAIN);
        // 904 HU is far above the brain window; -849 far below.
        assertEquals(1f, ct.image().get(64, 64));
        assertEquals(0f, ct.image().get(0, 0));
        assertTrue(ct.image().description().contains("window 40/80 (requested)"), ct.image().description());
        assertEquals(-119.0738525390625, mean(ct.modalityValues()), 1e-9); // modality values unchanged
    }

    @Test
    void fileWithoutPreambleIsAccepted() {
        byte[] full = TestFiles.bytes("CT_small.dcm");
        byte[] bare = Arrays.copyOfRange(full, 132, full.length); // starts at (0002,0000)
        assertArrayEquals(decoder.decode(full).modalityValues(), decoder.decode(bare).modalityValues());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small.dcm", "MR_small_implicit.dcm"})
    void datasetWithoutFileMetaIsSniffedAsExplicitOrImplicitLittleEndian(String name) {
        // Strip preamble, "DICM" and the whole meta group: the data starts at (0008,xxxx) and the
        // decoder has to tell explicit from implicit VR by looking for VR letters.
        byte[] full = TestFiles.bytes(name);
        int groupLength = java.nio.ByteBuffer.wrap(full, 140, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(); // (0002,0000) UL
        byte[] bare = Arrays.copyOfRange(full, 144 + groupLength, full.length);
        assertEquals(0x08, bare[0]);
        DicomImage d = decoder.decode(bare);
        assertEquals(name.contains("implicit") ? "1.2.840.10008.1.2" : "1.2.840.10008.1.2.1", d.tag("TransferSyntaxUID"));
        assertEquals(518.88134765625, mean(d.modalityValues()), 1e-9);
        assertArrayEquals(decoder.decode(full).modalityValues(), d.modalityValues());
        assertEquals(decoder.decode(full).image(), d.image());
    }

    /** Real files this decoder refuses: each with its reason code and what the message says. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SC_rgb_jpeg_dcmtk.dcm | unsupported_image | DICOM transfer syntax 1.2.840.10008.1.2.4.50 (JPEG baseline) is "
                + "not supported; supported: implicit VR little endian",
        "JPEG2000.dcm          | unsupported_image | 1.2.840.10008.1.2.4.91 (JPEG 2000)",
        "test-SR.dcm           | unsupported_image | no Pixel Data",
        "test-SR.dcm           | unsupported_image | modality SR",
        // Undefined-length sequences nested three deep, still walked to the end.
        "reportsi.dcm          | unsupported_image | no Pixel Data",
        "liver_1frame.dcm      | unsupported_image | 1-bit",
        "MR_truncated.dcm      | truncated_image   | Pixel Data (7FE0,0010) declares 8192 bytes",
        "rtplan_truncated.dcm  | truncated_image   | (300A,00B0)"})
    void realFilesItCannotDecodeAreRefusedWithTheirReason(String file, String reason, String message) {
        ImageFormatException e = failure(TestFiles.bytes(file));
        assertEquals(reason, e.reason());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void filesCutShortAreTruncated() {
        byte[] dfl = TestFiles.bytes("image_dfl.dcm");
        assertEquals("truncated_image", failure(TestFiles.head(dfl, dfl.length - 200)).reason());
        // The RLE file ends with 138 bytes of (FFFC,FFFC) padding after its Pixel Data; cut into the fragment.
        byte[] rle = TestFiles.bytes("MR_small_RLE.dcm");
        assertEquals("truncated_image", failure(TestFiles.head(rle, rle.length - 200)).reason());
    }

    @Test
    void everyCutOfARealCtAfterRowsIsReportedAsTruncated() {
        byte[] full = TestFiles.bytes("CT_small.dcm");
        int columnsEnd = TestFiles.indexOf(full, new byte[] {0x28, 0x00, 0x11, 0x00, 'U', 'S'}) + 10;
        // Pixel Data is followed by (FFFC,FFFC) trailing padding; cuts inside the padding leave a
        // complete image (and decode), so the sweep stops where the padding starts.
        int paddingStart = TestFiles.indexOf(full,
                new byte[] {(byte) 0xFC, (byte) 0xFF, (byte) 0xFC, (byte) 0xFF, 'O', 'B'});
        assertTrue(columnsEnd > 200 && paddingStart > 32768);
        assertEquals(128, decoder.decode(TestFiles.head(full, paddingStart)).width());
        for (int cut = 132; cut < paddingStart; cut += 37) {
            ImageFormatException e = failure(TestFiles.head(full, cut));
            if (cut >= columnsEnd) {
                assertEquals("truncated_image", e.reason(), "cut at " + cut + ": " + e.getMessage());
            } else {
                // Cut at an element boundary before Rows/Columns looks like a non-image dataset.
                assertTrue(e.reason().equals("truncated_image") || e.reason().equals("unsupported_image")
                        || e.reason().equals("corrupt_image"), "cut at " + cut + ": " + e.reason());
            }
        }
    }

    @Test
    void nonDicomIsCorrupt() {
        ImageFormatException e = failure("hello, this is not DICOM at all; it has no DICM marker".getBytes());
        assertEquals("corrupt_image", e.reason());
        assertTrue(e.getMessage().startsWith("not a DICOM file"), e.getMessage());
        assertEquals("corrupt_image", failure(new byte[0]).reason());
        assertEquals("corrupt_image", failure(new byte[300]).reason());
        assertEquals("corrupt_image", failure(TestFiles.bytes("anatomical.nii")).reason());
        assertEquals("corrupt_image", failure(GrayImage.fromPixels(1, 1, new float[] {0}, "").toPng()).reason());
    }

    @Test
    void oversizedFramesAreRefusedBeforeDecoding() {
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> new DicomImageDecoder(64 * 64 - 1, 1 << 20).decode(TestFiles.bytes("MR_small.dcm")));
        assertEquals("too_large", e.reason());
        assertTrue(e.getMessage().contains("64x64"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
            "CT_undefined_length_sq_2062.dcm", "rtdose_rle.dcm", "image_dfl.dcm", "SC_rgb_rle.dcm", "reportsi.dcm"})
    void randomCorruptionOnlyEverYieldsImageFormatException(String name) {
        // Flip 1-4 random bytes 300 times: the decoder must either decode or throw
        // ImageFormatException, never IndexOutOfBounds, NegativeArraySize, OutOfMemory, ...
        byte[] original = TestFiles.bytes(name);
        Random random = new Random(name.hashCode());
        for (int trial = 0; trial < 300; trial++) {
            byte[] data = original.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                data[128 + random.nextInt(data.length - 128)] = (byte) random.nextInt(256);
            }
            try {
                decoder.decode(data);
            } catch (ImageFormatException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            } catch (RuntimeException e) {
                fail("trial " + trial + " on " + name + " threw " + e, e);
            }
        }
    }

    @Test
    void octaveDicomAnkleCtWhenInstalled() throws Exception {
        Path ankle = TestFiles.OCTAVE_IMDATA.resolve("CT-MONO2-16-ankle.dcm");
        Assumptions.assumeTrue(Files.exists(ankle), "install octave-dicom for the 512x512 ankle CT test");
        DicomImage ct = decoder.decode(Files.readAllBytes(ankle));
        // Implicit VR LE, 512x512 int16, intercept -1024: pydicom min -992, max 3056, mean -305.605224609375
        assertEquals(512, ct.width());
        assertEquals("1.2.840.10008.1.2", ct.tag("TransferSyntaxUID"));
        assertArrayEquals(new double[] {-992, 3056}, range(ct.modalityValues()));
        assertEquals(-305.605224609375, mean(ct.modalityValues()), 1e-9);
        assertEquals(1408f, ct.modalityValue(256, 256));
        assertEquals(-896f, ct.modalityValue(384, 128));
        assertEquals(0.17535290068163775, ct.image().mean(), 1e-6); // file window 1024/4095
        // The RLE ultrasound next to it is PALETTE COLOR, which we refuse by name.
        Path echo = TestFiles.OCTAVE_IMDATA.resolve("US-PAL-8-10x-echo.dcm");
        ImageFormatException e = failure(Files.readAllBytes(echo));
        assertEquals("unsupported_image", e.reason());
        assertTrue(e.getMessage().contains("PALETTE COLOR"), e.getMessage());
    }
}
