package io.recon.nn.explainer;

import java.util.ArrayList;
import java.util.List;

import ai.djl.nn.norm.LayerNorm;
import io.recon.nn.PlainDense;
import io.recon.nn.PlainMath;

/**
 * {@link MaskedFeatureBlock#explainEach} of a one-layer model computed with plain float arrays, one
 * row at a time. The explainer role explains the two or three alerts of a poll, where DJL's cost
 * per operation (about a hundred operations, 2-3 ms a call here) is most of the work and the
 * arithmetic (about half a million multiply-adds per row) is not. The hidden tokens do not depend
 * on the row, so their attention inputs are computed once here. Thread-safe: it holds only weights.
 */
final class PlainJavaFeatureExplainer {

    /** DJL's {@code LayerNorm} default. */
    private static final float NORM_EPSILON = 1e-5f;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    /** A layer norm's scale and shift. */
    record Norm(float[] gamma, float[] beta) {

        static Norm of(LayerNorm norm) {
            return new Norm(norm.getParameters().get("gamma").getArray().toFloatArray(),
                    norm.getParameters().get("beta").getArray().toFloatArray());
        }

        float[] apply(float[] x) {
            double mean = 0;
            for (float v : x) {
                mean += v;
            }
            mean /= x.length;
            double var = 0;
            for (float v : x) {
                var += (v - mean) * (v - mean);
            }
            var /= x.length;
            double inv = 1 / Math.sqrt(var + NORM_EPSILON);
            float[] y = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (float) ((x[i] - mean) * inv) * gamma[i] + beta[i];
            }
            return y;
        }
    }

    /** The encoder layer's weights ({@link SelfAttentionLayer}). */
    record Layer(int heads, Norm attentionNorm, PlainDense queries, PlainDense keys, PlainDense values,
            PlainDense output, Norm feedForwardNorm, PlainDense expand, PlainDense contract) {
    }

    private final FeatureTokens tokens;
    private final int width;
    private final float[] featureIds;
    private final float[] numericScale;
    private final float[] numericShift;
    private final float[] categoryTable;
    private final Layer layer;
    private final Norm finalNorm;
    private final PlainDense numericHead;
    private final PlainDense categoryHead;
    /** Per feature, its hidden token (mask embedding plus feature id) and that token's query, key and value. */
    private final float[][] hidden;
    private final float[][] hiddenQuery;
    private final float[][] hiddenKey;
    private final float[][] hiddenValue;

    PlainJavaFeatureExplainer(FeatureTokens tokens, int width, float[] featureIds, float[] numericScale,
            float[] numericShift, float[] categoryTable, float[] maskToken, Layer layer, Norm finalNorm,
            PlainDense numericHead, PlainDense categoryHead) {
        this.tokens = tokens;
        this.width = width;
        this.featureIds = featureIds;
        this.numericScale = numericScale;
        this.numericShift = numericShift;
        this.categoryTable = categoryTable;
        this.layer = layer;
        this.finalNorm = finalNorm;
        this.numericHead = numericHead;
        this.categoryHead = categoryHead;
        int f = tokens.count();
        hidden = new float[f][];
        hiddenQuery = new float[f][];
        hiddenKey = new float[f][];
        hiddenValue = new float[f][];
        for (int k = 0; k < f; k++) {
            float[] h = new float[width];
            for (int i = 0; i < width; i++) {
                h[i] = maskToken[i] + featureIds[k * width + i];
            }
            float[] normed = layer.attentionNorm().apply(h);
            hidden[k] = h;
            hiddenQuery[k] = layer.queries().apply(normed);
            hiddenKey[k] = layer.keys().apply(normed);
            hiddenValue[k] = layer.values().apply(normed);
        }
    }

    /** As {@link MaskedFeatureModel#explain}, for a one-layer model. */
    List<MaskedFeatureModel.Explanation> explain(List<float[]> rows) {
        List<MaskedFeatureModel.Explanation> out = new ArrayList<>(rows.size());
        for (float[] row : rows) {
            out.add(explain(row));
        }
        return out;
    }

    private MaskedFeatureModel.Explanation explain(float[] row) {
        int f = tokens.count();
        float[][] keys = new float[f][];
        float[][] values = new float[f][];
        float[] numbers = new float[f];
        for (int j = 0; j < f; j++) {
            float[] visible = visibleToken(row, j);
            numbers[j] = tokens.numeric()[j] ? row[tokens.offsets()[j]] : 0;
            float[] normed = layer.attentionNorm().apply(visible);
            keys[j] = layer.keys().apply(normed);
            values[j] = layer.values().apply(normed);
        }
        double[] surprise = new double[f];
        double[] expected = new double[f];
        double[] spread = new double[f];
        int[] slot = new int[f];
        double[] slotShare = new double[f];
        for (int k = 0; k < f; k++) {
            float[] h = finalNorm.apply(encodeHidden(k, keys, values));
            if (tokens.numeric()[k]) {
                float[] gaussian = numericHead.apply(h);
                float mean = gaussian[0];
                float logVar = Math.max(MaskedFeatureBlock.MIN_LOG_VAR, Math.min(MaskedFeatureBlock.MAX_LOG_VAR,
                        gaussian[1]));
                double gap = numbers[k] - mean;
                surprise[k] = 0.5 * (logVar + gap * gap * Math.exp(-logVar)) + HALF_LOG_TWO_PI;
                expected[k] = mean;
                spread[k] = Math.exp(0.5 * logVar);
            } else {
                categoryOf(row, k, categoryHead.apply(h), surprise, slot, slotShare);
            }
        }
        return new MaskedFeatureModel.Explanation(surprise, expected, spread, slot, slotShare);
    }

    /** Feature j's token as the row shows it: its value embedding plus its id. */
    private float[] visibleToken(float[] row, int j) {
        float[] t = new float[width];
        int at = j * width;
        if (tokens.numeric()[j]) {
            float v = row[tokens.offsets()[j]];
            for (int i = 0; i < width; i++) {
                t[i] = v * numericScale[at + i] + numericShift[at + i] + featureIds[at + i];
            }
            return t;
        }
        for (int i = 0; i < width; i++) {
            t[i] = featureIds[at + i];
        }
        for (int c = tokens.offsets()[j]; c < tokens.offsets()[j] + tokens.widths()[j]; c++) {
            float v = row[c];
            if (v != 0) {
                for (int i = 0; i < width; i++) {
                    t[i] += v * categoryTable[c * width + i];
                }
            }
        }
        return t;
    }

    /** The layer's output at token k with feature k hidden and every other feature visible. */
    private float[] encodeHidden(int k, float[][] keys, float[][] values) {
        int f = tokens.count();
        int heads = layer.heads();
        int dh = width / heads;
        double scale = 1 / Math.sqrt(dh);
        float[] attended = new float[width];
        float[] scores = new float[f];
        float[] q = hiddenQuery[k];
        for (int h = 0; h < heads; h++) {
            int from = h * dh;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < f; j++) {
                float[] key = j == k ? hiddenKey[k] : keys[j];
                float dot = 0;
                for (int i = from; i < from + dh; i++) {
                    dot += q[i] * key[i];
                }
                scores[j] = (float) (dot * scale);
                max = Math.max(max, scores[j]);
            }
            double sum = 0;
            for (int j = 0; j < f; j++) {
                scores[j] = (float) Math.exp(scores[j] - max);
                sum += scores[j];
            }
            for (int j = 0; j < f; j++) {
                float weight = (float) (scores[j] / sum);
                float[] value = j == k ? hiddenValue[k] : values[j];
                for (int i = from; i < from + dh; i++) {
                    attended[i] += weight * value[i];
                }
            }
        }
        float[] x = layer.output().apply(attended);
        for (int i = 0; i < width; i++) {
            x[i] += hidden[k][i];
        }
        float[] expanded = layer.expand().apply(layer.feedForwardNorm().apply(x));
        for (int i = 0; i < expanded.length; i++) {
            expanded[i] = (float) PlainMath.gelu(expanded[i]);
        }
        float[] contracted = layer.contract().apply(expanded);
        for (int i = 0; i < width; i++) {
            x[i] += contracted[i];
        }
        return x;
    }

    /** A category's surprise, its likeliest slot (as the encoded column) and that slot's probability. */
    private void categoryOf(float[] row, int k, float[] logits, double[] surprise, int[] slot, double[] share) {
        int first = tokens.offsets()[k];
        int end = first + tokens.widths()[k];
        float max = Float.NEGATIVE_INFINITY;
        int best = first;
        for (int c = first; c < end; c++) {
            if (logits[c] > max) {
                max = logits[c];
                best = c;
            }
        }
        double sum = 0;
        for (int c = first; c < end; c++) {
            sum += Math.exp(logits[c] - max);
        }
        double logSum = max + Math.log(sum);
        double nll = 0;
        for (int c = first; c < end; c++) {
            nll -= row[c] * (logits[c] - logSum);
        }
        surprise[k] = nll;
        slot[k] = best - first;
        share[k] = Math.exp(max - logSum);
    }
}
