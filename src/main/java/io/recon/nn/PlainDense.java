package io.recon.nn;

import ai.djl.nn.core.Linear;

/**
 * A trained DJL {@link Linear} layer copied into plain float arrays (weights row-major, out x in, as
 * PyTorch stores them), for the plain-Java forward passes that score or explain a few rows where
 * DJL's per-operation cost would be most of the work.
 */
public record PlainDense(float[] weight, float[] bias, int out, int in) {

    /** The layer's current weights and bias. */
    public static PlainDense of(Linear linear) {
        float[] w = linear.getParameters().get("weight").getArray().toFloatArray();
        float[] b = linear.getParameters().get("bias").getArray().toFloatArray();
        return new PlainDense(w, b, b.length, w.length / b.length);
    }

    /** W x + b. */
    public float[] apply(float[] x) {
        return apply(x, false);
    }

    /** W x + b, through the exact GELU when {@code gelu}. */
    public float[] apply(float[] x, boolean gelu) {
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            float acc = bias[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                acc += weight[row + i] * x[i];
            }
            y[o] = gelu ? (float) PlainMath.gelu(acc) : acc;
        }
        return y;
    }
}
