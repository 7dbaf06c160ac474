package io.recon.imaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Binary sample types shared by the NIfTI, InVesalius and raw readers. */
public enum SampleType {
    UINT8(1), INT8(1), UINT16(2), INT16(2), UINT32(4), INT32(4), FLOAT32(4), FLOAT64(8);

    public final int bytes;

    SampleType(int bytes) {
        this.bytes = bytes;
    }

    /** Converts {@code count} samples starting at {@code offset} to floats. */
    public float[] toFloats(byte[] data, int offset, int count, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(data, offset, count * bytes).slice().order(order);
        float[] out = new float[count];
        switch (this) {
            case UINT8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = data[offset + i] & 0xff;
                }
            }
            case INT8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = data[offset + i];
                }
            }
            case UINT16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getShort(2 * i) & 0xffff;
                }
            }
            case INT16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getShort(2 * i);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getInt(4 * i) & 0xffffffffL;
                }
            }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getInt(4 * i);
                }
            }
            case FLOAT32 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = b.getFloat(4 * i);
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> throw new IllegalStateException(name());
        }
        return out;
    }

    /** The lower-case name used in messages and event fields, e.g. "int16". */
    public String label() {
        return name().toLowerCase();
    }
}
