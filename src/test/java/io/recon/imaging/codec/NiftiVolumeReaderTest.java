package io.recon.imaging.codec;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.testing.TestFiles;
import io.recon.imaging.Volume;
import io.recon.imaging.Window;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reference values: nibabel 5.0.0 {@code get_fdata()} (scaling applied) and numpy 1.24.2
 * ({@code numpy.percentile}, linear interpolation); see reference_stats.py. nibabel indexes
 * [x, y, z] like {@link Volume#get(int, int, int)}.
 */
class NiftiVolumeReaderTest {

    private final NiftiVolumeReader reader = new NiftiVolumeReader();

    private static ImageFormatException failure(byte[] data) {
        return assertThrows(ImageFormatException.class, () -> new NiftiVolumeReader().read(data));
    }

    @Test
    void bigEndianInt16() {
        Volume v = reader.read(TestFiles.bytes("anatomical.nii"));
        assertArrayEquals(new int[] {33, 41, 25}, new int[] {v.nx(), v.ny(), v.nz()});
        assertArrayEquals(new double[] {2, 2, 2}, v.spacing());
        assertTrue(v.description().contains("int16") && v.description().contains("big-endian"), v.description());
        // nibabel: min -610, max 30393, mean 8401.066725794532
        assertArrayEquals(new double[] {-610, 30393}, v.range());
        assertEquals(8401.066725794532, v.mean(), 1e-9);
        assertEquals(10712f, v.get(0, 0, 0));
        assertEquals(11881f, v.get(16, 20, 12));
        assertEquals(2971f, v.get(32, 40, 24));
        assertEquals(9068f, v.get(11, 10, 12));
        // numpy.percentile(a, [0.5, 99.5]) = [751.44, 13014.8]
        double[] p = v.percentiles(0.5, 99.5);
        assertEquals(751.44, p[0], 1e-6);
        assertEquals(13014.8, p[1], 1e-6);
        // Slice 12 scaled by those percentiles: numpy mean 0.6354599728310077
        GrayImage slice = v.axialSlice(12);
        assertEquals(33, slice.width());
        assertEquals(41, slice.height());
        assertEquals(0.6354599728310077, slice.mean(), 1e-6);
        assertEquals((11881 - 751.44) / (13014.8 - 751.44), slice.get(16, 20), 1e-6);
    }

    @Test
    void fourDimensionalWithSclSlopeAndIntercept() {
        byte[] data = TestFiles.bytes("functional.nii");
        Volume v0 = reader.read(data, 0);
        assertEquals(17, v0.nx());
        assertEquals(21, v0.ny());
        assertEquals(3, v0.nz());
        assertArrayEquals(new double[] {4, 4, 8}, v0.spacing());
        // nibabel get_fdata()[..., 0]: min 762.5424365997314, max 5538.065757632256, mean 3626.2806277588415
        double[] r = v0.range();
        assertEquals(762.5424365997314, r[0], 1e-3);
        assertEquals(5538.065757632256, r[1], 1e-3);
        assertEquals(3626.2806277588415, v0.mean(), 1e-3);
        assertEquals(3865.7654151320457, v0.get(8, 10, 1), 1e-3);
        assertEquals(3142.8388072252274, v0.get(16, 20, 2), 1e-3);
        // Volume index 1: mean 3626.6956125141082, voxel (8,10,1) 3880.2435531020164
        Volume v1 = reader.read(data, 1);
        assertEquals(3626.6956125141082, v1.mean(), 1e-3);
        assertEquals(3880.2435531020164, v1.get(8, 10, 1), 1e-3);
        assertTrue(v1.description().contains("volume 1/20"), v1.description());
        assertEquals("bad_field", assertThrows(ImageFormatException.class, () -> reader.read(data, 20)).reason());
    }

    @Test
    void bigEndianFloat32() {
        Volume v = reader.read(TestFiles.bytes("reoriented_anat_moved.nii"));
        assertArrayEquals(new int[] {21, 26, 22}, new int[] {v.nx(), v.ny(), v.nz()});
        // nibabel: min 0, max 21199.935546875, mean 2725.588532230912
        assertArrayEquals(new double[] {0, 21199.935546875}, v.range());
        assertEquals(2725.588532230912, v.mean(), 1e-6);
        assertEquals(8117.22021484375f, v.get(10, 13, 11));
        assertEquals(9733.19140625f, v.get(7, 6, 11));
    }

    @Test
    void gzippedUint8() {
        Volume v = reader.read(TestFiles.bytes("standard.nii.gz"));
        assertArrayEquals(new int[] {4, 5, 7}, new int[] {v.nx(), v.ny(), v.nz()});
        assertArrayEquals(new double[] {1, 3, 2}, v.spacing());
        // nibabel: mean 54.642857142857146, voxel (3,4,6) = 255
        assertEquals(54.642857142857146, v.mean(), 1e-9);
        assertEquals(255f, v.get(3, 4, 6));
        GrayImage fixed = v.axialSlice(3, Window.ofRange(0, 255));
        assertEquals(51.0 / 255, fixed.mean(), 1e-6); // numpy: slice z=3 mean 51.0
    }

    @Test
    void unsupportedVariantsAreNamed() {
        ImageFormatException nifti2 = failure(TestFiles.bytes("example_nifti2.nii.gz"));
        assertEquals("unsupported_image", nifti2.reason());
        assertTrue(nifti2.getMessage().contains("NIfTI-2"), nifti2.getMessage());

        byte[] pair = TestFiles.bytes("anatomical.nii").clone();
        pair[345] = 'i'; // "n+1" -> "ni1": the header of a .hdr/.img pair
        assertTrue(failure(pair).getMessage().contains("two-file"));

        byte[] complex = TestFiles.bytes("functional.nii").clone();
        ByteBuffer.wrap(complex).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) 32).putShort(72, (short) 64);
        ImageFormatException e = failure(complex);
        assertEquals("unsupported_image", e.reason());
        assertTrue(e.getMessage().contains("complex64"), e.getMessage());
    }

    @Test
    void truncatedCorruptAndOversized() {
        byte[] anat = TestFiles.bytes("anatomical.nii");
        ImageFormatException cut = failure(TestFiles.head(anat, anat.length - 1));
        assertEquals("truncated_image", cut.reason());
        assertTrue(cut.getMessage().contains("needs bytes up to " + anat.length), cut.getMessage());
        assertEquals("truncated_image", failure(TestFiles.head(anat, 200)).reason());
        byte[] gz = TestFiles.gzip(anat);
        assertEquals("truncated_image", failure(TestFiles.head(gz, gz.length / 2)).reason());
        assertEquals("corrupt_image", failure("definitely not a nifti header".repeat(20).getBytes()).reason());
        assertEquals("corrupt_image", failure(TestFiles.bytes("CT_small.dcm")).reason());
        assertEquals("too_large", assertThrows(ImageFormatException.class,
                () -> new NiftiVolumeReader(10_000).read(gz)).reason());
        assertEquals("bad_field", assertThrows(ImageFormatException.class,
                () -> reader.read(anat).axialSlice(25)).reason());
    }

    @Test
    void hugeSlicesAreRefusedFromTheHeaderBeforeAnythingIsAllocated() {
        // A real file's header declaring one 16384 x 16383 slice: refused at once, whatever follows.
        byte[] header = TestFiles.head(TestFiles.bytes("anatomical.nii"), 352);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        h.order(h.getInt(0) == 348 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN); // the file's own order
        h.putShort(40, (short) 3).putShort(42, (short) 16384).putShort(44, (short) 16383).putShort(46, (short) 1);
        ImageFormatException e = assertThrows(ImageFormatException.class,
                () -> new NiftiVolumeReader(NiftiVolumeReader.DEFAULT_MAX_BYTES, 4096L * 4096).read(header));
        assertEquals("too_large", e.reason());
        assertTrue(e.getMessage().contains("16384x16383"), e.getMessage());
    }

    @Test
    void mricronCh2TemplateWhenInstalled() {
        Assumptions.assumeTrue(Files.exists(TestFiles.CH2), "install mricron-data for the ch2 T1 template test");
        Volume v = reader.read(TestFiles.CH2);
        assertArrayEquals(new int[] {181, 217, 181}, new int[] {v.nx(), v.ny(), v.nz()});
        assertArrayEquals(new double[] {1, 1, 1}, v.spacing());
        // nibabel: uint8, min 0, max 254, mean 44.61177355282364; p0.5/p99.5 = 0 / 178
        assertArrayEquals(new double[] {0, 254}, v.range());
        assertEquals(44.61177355282364, v.mean(), 1e-9);
        assertArrayEquals(new double[] {0, 178}, v.percentiles(0.5, 99.5));
        assertEquals(33f, v.get(90, 108, 90));
        assertEquals(116f, v.get(60, 54, 90));
        // Mid-axial slice scaled by the volume percentiles: numpy mean 0.3327555681299031
        GrayImage mid = v.axialSlice(90);
        assertEquals(181, mid.width());
        assertEquals(217, mid.height());
        assertEquals(0.3327555681299031, mid.mean(), 1e-6);
        assertEquals(64, mid.resize(64, 64).width());
    }
}
