package io.recon.imaging.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.recon.imaging.Window;

/** What {@link DicomWriter} writes, read back by the service's own decoder. */
class DicomWriterTest {

    private static final short[] HU = {-1024, -1000, 0, 20, 40, 60, 80, 1500, 3071, -32768, 32767, 7};

    private static DicomWriter.Slice slice(String description, boolean synthetic) {
        return new DicomWriter.Slice(4, 3, HU, new double[] {0.957, 0.957}, "CT", Window.CT_BRAIN, "Test^Patient",
                "p-1", "study-a", 50, description, synthetic);
    }

    @Test
    void theDecoderReadsBackTheValuesTheModalityAndTheWindow() {
        byte[] file = DicomWriter.write(slice("slice 50", false));
        assertEquals("DICM", new String(file, 128, 4, StandardCharsets.US_ASCII));
        DicomImage image = new DicomImageDecoder().decode(file);
        assertEquals(4, image.width());
        assertEquals(3, image.height());
        assertEquals("CT", image.modality());
        assertEquals(DicomWriter.EXPLICIT_VR_LITTLE_ENDIAN, image.tag("TransferSyntaxUID"));
        float[] expected = new float[HU.length];
        for (int i = 0; i < HU.length; i++) {
            expected[i] = HU[i];
        }
        assertArrayEquals(expected, image.modalityValues());
        // The file's own window (brain 40/80): 0 HU is black, 80 HU and above white, 40 HU mid-grey.
        float[] px = image.image().pixels();
        assertEquals(0f, px[2], 1e-6);
        assertEquals(0.5f, px[4], 0.02);
        assertEquals(1f, px[6], 1e-6);
        assertEquals(0f, px[0], 1e-6);
    }

    @Test
    void sameSliceSameBytesAndEveryElementHasAnEvenLength() {
        byte[] a = DicomWriter.write(slice("slice 50, bright lesion", true));
        assertArrayEquals(a, DicomWriter.write(slice("slice 50, bright lesion", true)));
        assertTrue(!Arrays.equals(a, DicomWriter.write(slice("slice 50", false))), "another image, another file");
        assertEquals(0, a.length % 2);
        String uid = DicomWriter.uid("x");
        assertTrue(uid.matches("2\\.25\\.[1-9][0-9]*") && uid.length() <= 64, uid);
    }

    @Test
    void valuesOutsideInt16AreClamped() {
        assertEquals(Short.MAX_VALUE, DicomWriter.toInt16(1e9f));
        assertEquals(Short.MIN_VALUE, DicomWriter.toInt16(-1e9f));
        assertEquals(41, DicomWriter.toInt16(40.6f));
    }
}
