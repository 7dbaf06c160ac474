package io.recon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Inputs a hostile sender would make, for the decoder tests and the hostile-image benchmark. */
public final class HostileImages {

    private HostileImages() {
    }

    /** A DICOM file meta group (deflated explicit VR little endian), then a deflated dataset of zeros. */
    public static byte[] deflatedDicomBomb(int zeros) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[128], 0, 128);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] syntax = "1.2.840.10008.1.2.1.99".getBytes(StandardCharsets.US_ASCII); // 22 bytes, even
        ByteBuffer meta = ByteBuffer.allocate(12 + 8 + syntax.length).order(ByteOrder.LITTLE_ENDIAN);
        meta.putShort((short) 2).putShort((short) 0).put((byte) 'U').put((byte) 'L').putShort((short) 4)
                .putInt(8 + syntax.length);
        meta.putShort((short) 2).putShort((short) 0x10).put((byte) 'U').put((byte) 'I')
                .putShort((short) syntax.length).put(syntax);
        out.writeBytes(meta.array());
        Deflater deflater = new Deflater(9, true);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater)) {
            z.write(new byte[] {0x09, 0x00, 0x10, 0x00, 'O', 'B', 0, 0});
            z.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(zeros).array());
            byte[] block = new byte[1 << 20];
            for (int written = 0; written < zeros; written += block.length) {
                z.write(block, 0, Math.min(block.length, zeros - written));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }
}
