package io.recon.nn;

import ai.djl.nn.core.Linear;

/**
 * A trained DJL {@link Linear} layer copied into plain float arrays, for the plain-Java forward
 * passes that score or explain a few rows where DJL's per-operation cost would be most of the work.
 *
 * @param byInput the weights input by input: {@code byInput[i * out + o]} is W[o][i] (PyTorch stores
 *                W output by output; transposed here so that the forward pass vectorises)
 * @param bias    one per output
 * @param out     outputs
 * @param in      inputs
 */
public record PlainDense(float[] byInput, float[] bias, int out, int in) {

    /** The layer's current weights and bias. */
    public static PlainDense of(Linear linear) {
        float[] w = linear.getParameters().get("weight").getArray().toFloatArray();
        float[] b = linear.getParameters().get("bias").getArray().toFloatArray();
        int out = b.length;
        int in = w.length / out;
        float[] byInput = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                byInput[i * out + o] = w[o * in + i];
            }
        }
        return new PlainDense(byInput, b, out, in);
    }

    /** W x + b. */
    public float[] apply(float[] x) {
        return apply(x, false);
    }

    /** W x + b, through the exact GELU when {@code gelu}. */
    public float[] apply(float[] x, boolean gelu) {
        float[] y = bias.clone();
        // y += x_i * (column i of W), input by input: each output's update is independent of the
        // others, so the JIT turns the inner loop into vector instructions (a dot product's running
        // sum, one output at a time, stays scalar).
        for (int i = 0; i < in; i++) {
            float xi = x[i];
            int column = i * out;
            for (int o = 0; o < out; o++) {
                y[o] += byInput[column + o] * xi;
            }
        }
        if (gelu) {
            for (int o = 0; o < out; o++) {
                y[o] = (float) PlainMath.gelu(y[o]);
            }
        }
        return y;
    }
}
