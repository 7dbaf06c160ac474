package io.recon.nn.vae;

import java.util.List;

/** Rows of one width laid end to end, as one batch tensor's data. */
final class BatchInput {

    private BatchInput() {
    }

    /**
     * @param rows     the rows
     * @param width    the width every row must have
     * @param what     what a row is, for the error ("row", "image")
     * @param expected the width in words, for the error (e.g. "784 pixels (28x28)")
     * @throws IllegalArgumentException naming the first row of another width
     */
    static float[] flatten(List<float[]> rows, int width, String what, String expected) {
        float[] flat = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            float[] row = rows.get(i);
            if (row.length != width) {
                throw new IllegalArgumentException(what + " " + i + " has " + row.length + " values, the model expects "
                        + expected);
            }
            System.arraycopy(row, 0, flat, i * width, width);
        }
        return flat;
    }
}
