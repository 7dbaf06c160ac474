package io.recon.data;

import io.recon.imaging.ImageFormatException;
import io.recon.testing.TestFiles;
import io.recon.imaging.Volume;
import io.recon.imaging.Window;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Inv3VolumeReaderTest {

    @TempDir
    Path tmp;

    private final Inv3VolumeReader reader = new Inv3VolumeReader();

    @Test
    void craniumHeadCtWhenInstalled() {
        Assumptions.assumeTrue(Files.exists(TestFiles.CRANIUM), "install invesalius-examples for the Cranium CT test");
        Volume v = reader.read(TestFiles.CRANIUM);
        // main.plist: shape [108, 256, 256] int16, spacing [0.9570312, 0.9570312, 1.5]
        assertArrayEquals(new int[] {256, 256, 108}, new int[] {v.nx(), v.ny(), v.nz()});
        assertArrayEquals(new double[] {0.95703119999999997, 0.95703119999999997, 1.5}, v.spacing(), 1e-12);
        assertTrue(v.description().contains("CT") && v.description().contains("int16"), v.description());
        // numpy (little-endian int16, C order [z, y, x]): min -1024, max 2986, mean -585.9552803039551
        assertArrayEquals(new double[] {-1024, 2986}, v.range());
        assertEquals(-585.9552803039551, v.mean(), 1e-6);
        assertEquals(3f, v.get(128, 128, 54));
        assertEquals(-998f, v.get(0, 0, 0));
        assertEquals(-1007f, v.get(50, 200, 10));
        // Plausible HU: 58.5% of voxels are air (< -900 HU), 3.7% dense bone (> 700 HU).
        int air = 0;
        int bone = 0;
        for (float hu : v.voxels()) {
            air += hu < -900 ? 1 : 0;
            bone += hu > 700 ? 1 : 0;
        }
        assertEquals(0.5853172584816262, air / (double) v.voxels().length, 1e-9);
        assertEquals(0.03688529685691551, bone / (double) v.voxels().length, 1e-9);
        // Slice 54 through the brain and bone windows: numpy means 0.18093910217285156, 0.14759060329861112
        assertEquals(0.18093910217285156, v.axialSlice(54, Window.CT_BRAIN).mean(), 1e-6);
        assertEquals(0.14759060329861112, v.axialSlice(54, Window.CT_BONE).mean(), 1e-6);
        assertTrue(v.axialSlice(54, Window.CT_BRAIN).description().contains("window 40/80"));
    }

    @Test
    void memberOrderDoesNotMatterAndLayoutIsXFastest() throws IOException {
        byte[] matrix = matrix(2, 3, 4);
        byte[] plist = mainPlist("int16", 2, 3, 4);
        Path plistFirst = write("a.inv3", gzip(tar(entry("tmpabc/main.plist", plist), entry("tmpabc/matrix.dat", matrix))));
        Path matrixFirst = write("b.inv3", gzip(tar(entry("tmpabc/matrix.dat", matrix), entry("tmpabc/main.plist", plist))));
        Path plainTar = write("c.inv3", tar(entry("main.plist", plist), entry("matrix.dat", matrix)));
        for (Path p : new Path[] {plistFirst, matrixFirst, plainTar}) {
            Volume v = reader.read(p);
            assertArrayEquals(new int[] {4, 3, 2}, new int[] {v.nx(), v.ny(), v.nz()});
            // matrix() stores 300 + 100 z + 10 y + x at [z][y][x]
            assertEquals(300f, v.get(0, 0, 0));
            assertEquals(421f, v.get(1, 2, 1));
            assertEquals(423f, v.get(3, 2, 1));
            assertEquals(310f, v.get(0, 1, 0));
            assertArrayEquals(new double[] {0.5, 0.5, 2.0}, v.spacing());
        }
    }

    @Test
    void gnuLongNamesAreFollowed() throws IOException {
        String dir = "x".repeat(120) + "/";
        Path p = write("long.inv3", gzip(tar(longName(dir + "main.plist"), entry("short1", mainPlist("int16", 2, 3, 4)),
                longName(dir + "matrix.dat"), entry("short2", matrix(2, 3, 4)))));
        assertEquals(24, reader.read(p).voxels().length);
    }

    @Test
    void inconsistentArchivesAreCorrupt() throws IOException {
        byte[] plist = mainPlist("int16", 2, 3, 4);
        assertReason("corrupt_image", write("noplist.inv3", gzip(tar(entry("matrix.dat", matrix(2, 3, 4))))),
                "no main.plist");
        assertReason("corrupt_image", write("nomatrix.inv3", gzip(tar(entry("main.plist", plist)))),
                "has no such member");
        assertReason("corrupt_image", write("short.inv3", gzip(tar(entry("main.plist", plist),
                entry("matrix.dat", new byte[10])))), "need 48");
        assertReason("unsupported_image", write("dtype.inv3", gzip(tar(entry("main.plist",
                mainPlist("complex64", 2, 3, 4)), entry("matrix.dat", matrix(2, 3, 4))))), "complex64");
        byte[] broken = tar(entry("main.plist", plist));
        broken[0] ^= 1; // name byte changed, checksum no longer matches
        assertReason("corrupt_image", write("checksum.inv3", gzip(broken)), "checksum");
        assertReason("corrupt_image", write("notxml.inv3", gzip(tar(entry("main.plist", "<plist><dict>".getBytes())))),
                "XML");
        assertEquals("too_large", assertThrows(ImageFormatException.class, () -> new Inv3VolumeReader(23)
                .read(write("big.inv3", gzip(tar(entry("main.plist", plist), entry("matrix.dat", matrix(2, 3, 4))))))).reason());
    }

    @Test
    void truncatedArchiveIsTruncated() throws IOException {
        byte[] gz = gzip(tar(entry("main.plist", mainPlist("int16", 8, 16, 16)), entry("matrix.dat", matrix(8, 16, 16))));
        Path cut = write("cut.inv3", TestFiles.head(gz, gz.length - 100));
        assertEquals("truncated_image", assertThrows(ImageFormatException.class, () -> reader.read(cut)).reason());
    }

    @Test
    void plistParserNeverFetchesOrExpandsExternalEntities() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE plist [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<plist version=\"1.0\"><dict><key>name</key><string>a&xxe;b</string>"
                + "<key>n</key><integer>7</integer><key>r</key><real>1.5</real><key>t</key><true/>"
                + "<key>list</key><array><integer>1</integer><string>x</string></array></dict></plist>";
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) Plist.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertFalse(String.valueOf(map.get("name")).contains("root:"), "external entity was expanded");
        assertEquals(7L, map.get("n"));
        assertEquals(1.5, map.get("r"));
        assertEquals(Boolean.TRUE, map.get("t"));
        assertEquals(java.util.List.of(1L, "x"), map.get("list"));
    }

    // ---- helpers: a tiny ustar writer and InVesalius-shaped content ----

    private void assertReason(String reason, Path p, String messagePart) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> reader.read(p));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private Path write(String name, byte[] data) throws IOException {
        return Files.write(tmp.resolve(name), data);
    }

    /** int16 LE, C order [z][y][x], value = 100 z + 10 y + x (+300 offset so negatives are avoided). */
    private static byte[] matrix(int nz, int ny, int nx) {
        ByteBuffer b = ByteBuffer.allocate(nz * ny * nx * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    b.putShort((short) (300 + 100 * z + 10 * y + x));
                }
            }
        }
        return b.array();
    }

    private static byte[] mainPlist(String dtype, int nz, int ny, int nx) {
        // Same shape as InVesalius' file, including the external DTD it declares (never fetched).
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\"><dict>"
                + "<key>matrix</key><dict><key>dtype</key><string>" + dtype + "</string>"
                + "<key>filename</key><string>matrix.dat</string><key>shape</key><array>"
                + "<integer>" + nz + "</integer><integer>" + ny + "</integer><integer>" + nx + "</integer></array></dict>"
                + "<key>modality</key><string>CT</string><key>name</key><string>synthetic</string>"
                + "<key>spacing</key><array><real>0.5</real><real>0.5</real><real>2.0</real></array>"
                + "</dict></plist>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] entry(String name, byte[] data) {
        return entry(name, data, '0');
    }

    private static byte[] longName(String name) {
        return entry("././@LongLink", (name + "\0").getBytes(StandardCharsets.UTF_8), 'L');
    }

    private static byte[] entry(String name, byte[] data, char type) {
        byte[] h = new byte[512];
        put(h, 0, name.length() > 100 ? name.substring(0, 100) : name);
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o\0", data.length));
        put(h, 136, "00000000000\0");
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        put(h, 148, String.format("%06o\0 ", sum));
        int padded = (data.length + 511) / 512 * 512;
        byte[] out = new byte[512 + padded];
        System.arraycopy(h, 0, out, 0, 512);
        System.arraycopy(data, 0, out, 512, data.length);
        return out;
    }

    private static byte[] tar(byte[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            out.writeBytes(e);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
        return TestFiles.gzip(data);
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
