package io.recon.imaging;

/** One-dimensional resampling weights used by {@link GrayImage#resize}. */
final class Resampler {

    private Resampler() {
    }

    /** For each output sample, the source indices and weights that produce it. */
    record Taps(int[][] index, float[][] weight) {

        /** Resamples one line read with a stride into another line written with a stride. */
        void apply(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride) {
            for (int i = 0; i < index.length; i++) {
                int[] idx = index[i];
                float[] w = weight[i];
                double sum = 0;
                for (int k = 0; k < idx.length; k++) {
                    sum += w[k] * src[srcOffset + idx[k] * srcStride];
                }
                dst[dstOffset + i * dstStride] = (float) sum;
            }
        }
    }

    static Taps taps(int srcSize, int dstSize) {
        if (dstSize == srcSize) {
            int[][] index = new int[dstSize][];
            float[][] weight = new float[dstSize][];
            for (int i = 0; i < dstSize; i++) {
                index[i] = new int[] {i};
                weight[i] = new float[] {1f};
            }
            return new Taps(index, weight);
        }
        return dstSize < srcSize ? area(srcSize, dstSize) : bilinear(srcSize, dstSize);
    }

    /** Output pixel i covers source interval [i*s, (i+1)*s) with s = src/dst; weights are overlaps / s. */
    private static Taps area(int srcSize, int dstSize) {
        double scale = (double) srcSize / dstSize;
        int[][] index = new int[dstSize][];
        float[][] weight = new float[dstSize][];
        for (int i = 0; i < dstSize; i++) {
            double start = i * scale;
            double end = Math.min(srcSize, (i + 1) * scale);
            int first = (int) Math.floor(start);
            int last = Math.min(srcSize - 1, (int) Math.ceil(end) - 1);
            int n = last - first + 1;
            index[i] = new int[n];
            weight[i] = new float[n];
            for (int k = 0; k < n; k++) {
                int j = first + k;
                double overlap = Math.min(end, j + 1) - Math.max(start, j);
                index[i][k] = j;
                weight[i][k] = (float) (overlap / scale);
            }
        }
        return new Taps(index, weight);
    }

    /** Pixel-centre aligned: output centre (i + 0.5) maps to source coordinate (i + 0.5) * src/dst - 0.5. */
    private static Taps bilinear(int srcSize, int dstSize) {
        double scale = (double) srcSize / dstSize;
        int[][] index = new int[dstSize][];
        float[][] weight = new float[dstSize][];
        for (int i = 0; i < dstSize; i++) {
            double pos = Math.max(0, Math.min(srcSize - 1, (i + 0.5) * scale - 0.5));
            int left = (int) Math.floor(pos);
            int right = Math.min(left + 1, srcSize - 1);
            float frac = (float) (pos - left);
            index[i] = new int[] {left, right};
            weight[i] = new float[] {1 - frac, frac};
        }
        return new Taps(index, weight);
    }
}
