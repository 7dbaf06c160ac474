package io.recon.nn.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;

/**
 * The explainer's shortcut ({@link MaskedFeatureBlock#explainEach}: value embeddings once per row,
 * the last layer and the heads at the hidden token only) gives what the plain forward pass gives on
 * every masked copy, for every output.
 */
@Tag("plain-djl")
class MaskedFeatureBlockTest {

    @ParameterizedTest(name = "{0} layers")
    @ValueSource(ints = {1, 2, 3})
    void explainingEachFeatureAtOnceEqualsHidingItInAFullPass(int layers) {
        FeatureEncoder encoder = new FeatureEncoder(List.of(
                FeatureSpec.numeric("a", FeatureSpec.Transform.IDENTITY, 0, 1),
                FeatureSpec.categorical("c", List.of("x", "y", "z")),
                FeatureSpec.numeric("b", FeatureSpec.Transform.IDENTITY, 0, 1),
                FeatureSpec.categorical("d", List.of("p", "q"))));
        FeatureTokens tokens = FeatureTokens.of(encoder);
        int f = tokens.count();
        int w = tokens.width();
        int n = 5;
        Random random = new Random(3);
        float[] rows = new float[n * w];
        float[] copies = new float[n * f * w];
        float[] masks = new float[n * f * f];
        for (int r = 0; r < n; r++) {
            float[] row = encoder.encode(Map.of("a", random.nextGaussian(), "b", random.nextGaussian(),
                    "c", List.of("x", "y", "z", "unseen").get(r % 4), "d", r % 2 == 0 ? "p" : "q"));
            System.arraycopy(row, 0, rows, r * w, w);
            for (int k = 0; k < f; k++) {
                System.arraycopy(row, 0, copies, (r * f + k) * w, w);
                masks[(r * f + k) * f + k] = 1;
            }
        }
        try (Model model = Model.newInstance("equivalence")) {
            MaskedFeatureBlock block = new MaskedFeatureBlock(tokens, 16, layers, 4);
            model.setBlock(block);
            NDManager m = model.getNDManager();
            block.initialize(m, DataType.FLOAT32, new Shape(n * f, w), new Shape(n * f, f));
            ParameterStore ps = new ParameterStore(m, false);
            NDList full = block.forward(ps, new NDList(m.create(copies, new Shape(n * f, w)),
                    m.create(masks, new Shape(n * f, f))), false);
            NDList fast = block.explainEach(ps, m.create(rows, new Shape(n, w)));
            String[] names = {"nll", "mean", "sd", "likeliest column", "its probability"};
            for (int o = 0; o < names.length; o++) {
                float[] expected = diagonal(full.get(o), n, f);
                float[] actual = fast.get(o).toFloatArray();
                assertEquals(expected.length, actual.length);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])),
                            names[o] + " of row " + i / f + ", feature " + i % f);
                }
            }
        }
    }

    /** Entry (r, k) of the full pass: copy k of row r, its own feature k. */
    private static float[] diagonal(NDArray out, int n, int f) {
        float[] all = out.toFloatArray();
        float[] d = new float[n * f];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < f; k++) {
                d[r * f + k] = all[(r * f + k) * f + k];
            }
        }
        return d;
    }
}
