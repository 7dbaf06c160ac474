package io.recon.nn.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * The image explainer's shortcut ({@link MaskedPatchBlock#explainEach}: every patch hidden in one
 * pass for a one-layer model, the last layer at the hidden patch only for deeper ones) gives, pixel
 * by pixel, what the plain forward pass gives with that pixel's patch hidden alone.
 */
@Tag("plain-djl")
class MaskedPatchBlockTest {

    @ParameterizedTest(name = "{0} layers")
    @ValueSource(ints = {1, 2})
    void hidingEveryPatchAtOnceEqualsHidingEachInAFullPass(int layers) {
        int side = 8;
        int patch = 4;
        int n = 3;
        Random random = new Random(5);
        float[] images = new float[n * side * side];
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat();
        }
        try (Model model = Model.newInstance("equivalence")) {
            MaskedPatchBlock block = new MaskedPatchBlock(side, patch, 16, layers, 4);
            model.setBlock(block);
            NDManager m = model.getNDManager();
            int t = block.patches();
            block.initialize(m, DataType.FLOAT32, new Shape(n * t, side * side), new Shape(n * t, t));
            ParameterStore ps = new ParameterStore(m, false);
            // Copy k of image r hides patch k.
            float[] copies = new float[n * t * side * side];
            float[] masks = new float[n * t * t];
            for (int r = 0; r < n; r++) {
                for (int k = 0; k < t; k++) {
                    System.arraycopy(images, r * side * side, copies, (r * t + k) * side * side, side * side);
                    masks[(r * t + k) * t + k] = 1;
                }
            }
            NDList full = block.forward(ps, new NDList(m.create(copies, new Shape(n * t, side * side)),
                    m.create(masks, new Shape(n * t, t))), false);
            NDList fast = block.explainEach(ps, m.create(images, new Shape(n, side * side)));
            // Full pass, per-pixel NLL of copy k's own patch: recompute from its mean and log-variance.
            NDArray x = block.toPatches(m.create(copies, new Shape(n * t, side * side)));
            NDArray mean = full.get(1);
            NDArray logVar = full.get(2);
            NDArray nll = logVar.add(x.sub(mean).square().mul(logVar.neg().exp())).mul(0.5)
                    .add(0.5 * Math.log(2 * Math.PI));
            float[][] expected = {own(block, nll, n, t), own(block, mean, n, t),
                own(block, logVar.mul(0.5f).exp(), n, t)};
            String[] names = {"surprise", "expected", "spread"};
            for (int o = 0; o < names.length; o++) {
                float[] actual = fast.get(o).toFloatArray();
                assertEquals(expected[o].length, actual.length);
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(expected[o][i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[o][i])),
                            names[o] + " of image " + i / (side * side) + ", pixel " + i % (side * side));
                }
            }
        }
    }

    /** Per pixel of each image: the value from the copy that hid that pixel's own patch. */
    private static float[] own(MaskedPatchBlock block, NDArray perCopy, int n, int t) {
        int d = block.patchPixels();
        float[] all = perCopy.toFloatArray(); // (n * t copies, t patches, d pixels)
        float[] tokens = new float[n * t * d];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < t; k++) {
                System.arraycopy(all, ((r * t + k) * t + k) * d, tokens, (r * t + k) * d, d);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            return block.fromPatches(m.create(tokens, new Shape(n, t, d))).toFloatArray();
        }
    }
}
