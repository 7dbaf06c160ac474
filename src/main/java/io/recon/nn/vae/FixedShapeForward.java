package io.recon.nn.vae;

import java.util.Arrays;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Runs a network over rows in libtorch calls of one fixed shape, the last call padded with zero rows,
 * so that a row's result depends on the row alone and not on the batch it came in.
 *
 * <p>libtorch rounds a row differently with the batch's size: a matrix product of fewer than 16 rows
 * takes another kernel, and an elementwise operation (GELU) computes its last few values, and the
 * values where it splits the work among threads, on a scalar path. A flow scored in a batch of 7 and in
 * one of 440 differed in the 7th digit. Here every call has {@link #rowsPerCall} rows, a multiple of 32
 * (two AVX-512 vectors of floats), and at most 32,768 values in its widest layer, libtorch's grain below
 * which an elementwise operation runs on one thread; every row then takes the same path wherever it
 * sits. {@code TwoStageScoringTest} and {@code ScoreBatchInvarianceTest} check the bits. ({@link
 * ImageVaeScorer} passes a call size of its own: convolutions cost per row, so padding does not pay.)
 */
final class FixedShapeForward {

    /** libtorch's {@code at::internal::GRAIN_SIZE}: elementwise operations on fewer values stay on one thread. */
    private static final int SERIAL_VALUES = 32_768;

    private FixedShapeForward() {
    }

    /**
     * Rows per call for a network whose widest layer (input, hidden or output) has {@code widest}
     * values per row: a multiple of 32, at least 32, and no more than {@value #SERIAL_VALUES} values in
     * that layer (beyond 1,024 values per row it exceeds the grain; rows then still get the same path
     * for a given thread count).
     */
    static int rowsPerCall(int widest) {
        return 32 * Math.max(1, SERIAL_VALUES / 32 / widest);
    }

    /**
     * Applies {@code network} to {@code count} rows of {@code width} values laid end to end in
     * {@code input}, {@code rowsPerCall} rows at a time.
     *
     * @param count    at least 1
     * @param network  maps a (rowsPerCall, width) array to arrays of (rowsPerCall, w_i)
     * @return per output of the network, {@code count} rows of its values laid end to end
     */
    static float[][] apply(NDManager manager, float[] input, int count, int width, int rowsPerCall,
            Function<NDArray, NDList> network) {
        if (count < 1) {
            throw new IllegalArgumentException("no rows to run the network over");
        }
        // Exactly one call's rows (the image scorer's calls, a telemetry batch of rowsPerCall): the input
        // goes in as it is and the outputs come back as they are, with no copy on either side.
        boolean oneWholeCall = count == rowsPerCall;
        float[][] out = null;
        int[] widths = null;
        float[] chunk = oneWholeCall ? input : new float[rowsPerCall * width];
        for (int start = 0; start < count; start += rowsPerCall) {
            int rows = Math.min(rowsPerCall, count - start);
            if (!oneWholeCall) {
                System.arraycopy(input, start * width, chunk, 0, rows * width);
                if (rows < rowsPerCall) {
                    Arrays.fill(chunk, rows * width, chunk.length, 0f);
                }
            }
            try (NDManager call = manager.newSubManager()) {
                NDList outputs = network.apply(call.create(chunk, new Shape(rowsPerCall, width)));
                if (oneWholeCall) {
                    out = new float[outputs.size()][];
                    for (int o = 0; o < outputs.size(); o++) {
                        out[o] = outputs.get(o).toFloatArray();
                    }
                    return out;
                }
                if (out == null) {
                    out = new float[outputs.size()][];
                    widths = new int[outputs.size()];
                    for (int o = 0; o < outputs.size(); o++) {
                        widths[o] = Math.toIntExact(outputs.get(o).getShape().get(1));
                        out[o] = new float[count * widths[o]];
                    }
                }
                for (int o = 0; o < outputs.size(); o++) {
                    System.arraycopy(outputs.get(o).toFloatArray(), 0, out[o], start * widths[o], rows * widths[o]);
                }
            }
        }
        return out;
    }
}
