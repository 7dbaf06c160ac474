package io.recon.nn;

import java.util.List;

/** Rows of one width laid end to end, as one batch tensor's data. */
public final class BatchInput {

    private BatchInput() {
    }

    /**
     * @param rows     the rows
     * @param width    the width every row must have
     * @param what     what a row is, for the error ("row", "image")
     * @param expected the width in words, for the error (e.g. "784 pixels (28x28)")
     * @throws IllegalArgumentException naming the first row of another width
     */
    public static float[] flatten(List<float[]> rows, int width, String what, String expected) {
        return flatten(rows, 0, rows.size(), width, what, expected);
    }

    /**
     * Rows {@code from} to {@code from + count - 1} of {@code rows}, for callers that go through a
     * list in batches; a row of another width is named by its index in the whole list.
     *
     * @throws IllegalArgumentException naming the first row of another width
     */
    public static float[] flatten(List<float[]> rows, int from, int count, int width, String what,
            String expected) {
        float[] flat = new float[count * width];
        for (int i = 0; i < count; i++) {
            float[] row = rows.get(from + i);
            if (row.length != width) {
                throw new IllegalArgumentException(what + " " + (from + i) + " has " + row.length
                        + " values, the model expects " + expected);
            }
            System.arraycopy(row, 0, flat, i * width, width);
        }
        return flat;
    }
}
