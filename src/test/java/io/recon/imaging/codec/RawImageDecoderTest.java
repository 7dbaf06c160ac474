package io.recon.imaging.codec;

import io.recon.imaging.GrayImage;
import io.recon.imaging.ImageFormatException;
import io.recon.imaging.Window;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class RawImageDecoderTest {

    private final RawImageDecoder decoder = new RawImageDecoder(1 << 20);

    @Test
    void unsignedTypesUseTheirFullRange() {
        GrayImage u8 = decoder.decode(new byte[] {0, (byte) 255, (byte) 51, 1}, 2, 2, RawImageDecoder.Dtype.UINT8,
                ByteOrder.LITTLE_ENDIAN, null);
        assertArrayEquals(new float[] {0f, 1f, 0.2f, 1 / 255f}, u8.pixels(), 1e-7f);
        byte[] le = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 65535).putShort((short) 32768)
                .array();
        GrayImage u16 = decoder.decode(le, 2, 1, RawImageDecoder.Dtype.UINT16, ByteOrder.LITTLE_ENDIAN, null);
        assertArrayEquals(new float[] {1f, 32768 / 65535f}, u16.pixels(), 1e-7f);
    }

    @Test
    void signedAndFloatAreMinMaxScaledOrWindowed() {
        // Real HU values from pydicom's CT_small (pixels (0,0), (64,64), (96,32), (127,127)), as int16 big endian.
        short[] hu = {-849, 904, -807, -115};
        ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        for (short v : hu) {
            be.putShort(v);
        }
        GrayImage mm = decoder.decode(be.array(), 2, 2, RawImageDecoder.Dtype.INT16, ByteOrder.BIG_ENDIAN, null);
        assertEquals(0f, mm.pixels()[0]);
        assertEquals(1f, mm.pixels()[1]);
        assertEquals((-115 + 849) / (904 + 849.0), mm.pixels()[3], 1e-6);
        assertTrue(mm.description().contains("big-endian") && mm.description().contains("min-max -849..904"));
        GrayImage soft = decoder.decode(be.array(), 2, 2, RawImageDecoder.Dtype.INT16, ByteOrder.BIG_ENDIAN,
                Window.CT_SOFT_TISSUE);
        assertArrayEquals(new float[] {0f, 1f, 0f, (float) ((-115 - (40 - 200)) / 400.0)}, soft.pixels(), 1e-6f);

        ByteBuffer f = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(Float.NaN)
                .putFloat(2.5f);
        GrayImage fl = decoder.decode(f.array(), 3, 1, RawImageDecoder.Dtype.FLOAT32, ByteOrder.LITTLE_ENDIAN, null);
        assertArrayEquals(new float[] {0f, 0f, 1f}, fl.pixels()); // NaN maps to 0
    }

    @Test
    void sizeMismatchAndLimitsAreReported() {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> decoder.decode(new byte[10], 2, 3,
                RawImageDecoder.Dtype.UINT16, ByteOrder.LITTLE_ENDIAN, null));
        assertEquals("bad_field", e.reason());
        assertEquals("raw data is 10 bytes but width 2 x height 3 x 2 byte(s) (uint16) = 12", e.getMessage());
        assertEquals("too_large", assertThrows(ImageFormatException.class, () -> new RawImageDecoder(100)
                .decode(new byte[101], 101, 1, RawImageDecoder.Dtype.UINT8, ByteOrder.LITTLE_ENDIAN, null)).reason());
        assertEquals("bad_field", assertThrows(ImageFormatException.class,
                () -> decoder.decode(new byte[0], 0, 1, RawImageDecoder.Dtype.UINT8, ByteOrder.LITTLE_ENDIAN, null)).reason());
        assertEquals(RawImageDecoder.Dtype.FLOAT32, RawImageDecoder.Dtype.parse("Float32"));
        assertEquals("bad_field", assertThrows(ImageFormatException.class, () -> RawImageDecoder.Dtype.parse("int64"))
                .reason());
    }
}
