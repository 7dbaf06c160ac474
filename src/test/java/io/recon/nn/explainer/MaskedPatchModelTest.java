package io.recon.nn.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.recon.nn.EpochRows;

/**
 * The masked-patch transformer learns what an image's surroundings imply: trained on smooth ramps,
 * it points at a small bright square pasted into a new ramp, and predicts the ramp, not the square,
 * where the square is.
 */
@Tag("plain-djl")
@Tag("training")
class MaskedPatchModelTest {

    private static final int SIDE = 16;

    @Test
    void pointsAtAPastedSquareAndExpectsTheRampUnderIt() {
        Random random = new Random(11);
        MaskedPatchModel.Settings s = new MaskedPatchModel.Settings(4, 40, 32, 3e-3, 32, 1, 4, 0.25, 3, 20);
        try (MaskedPatchModel model = MaskedPatchModel.train(SIDE, EpochRows.regenerated(256,
                epoch -> ramps(256, random)), s, line -> { })) {
            assertEquals(0, model.skippedSteps().skipped(), () -> "no step skipped: " + model.skippedSteps());
            int hits = 0;
            double expectedGap = 0;
            int trials = 20;
            for (int t = 0; t < trials; t++) {
                float[] image = ramps(1, random).get(0);
                float[] clean = image.clone();
                int x0 = 1 + random.nextInt(SIDE - 4);
                int y0 = 1 + random.nextInt(SIDE - 4);
                for (int y = y0; y < y0 + 2; y++) {
                    for (int x = x0; x < x0 + 2; x++) {
                        image[y * SIDE + x] = Math.min(1f, image[y * SIDE + x] + 0.6f);
                    }
                }
                MaskedPatchModel.Explanation e = model.explain(List.of(image)).get(0);
                float[] z = e.standardisedResidual(image);
                int peak = 0;
                for (int p = 0; p < z.length; p++) {
                    peak = Math.abs(z[p]) > Math.abs(z[peak]) ? p : peak;
                }
                int px = peak % SIDE;
                int py = peak / SIDE;
                hits += px >= x0 && px < x0 + 2 && py >= y0 && py < y0 + 2 ? 1 : 0;
                int centre = y0 * SIDE + x0;
                expectedGap += Math.abs(e.expected()[centre] - clean[centre]);
            }
            assertTrue(hits >= 16, "the largest standardised residual lies in the square in " + hits + " of "
                    + trials + " images");
            assertTrue(expectedGap / trials < 0.2, "under the square the model expects the ramp (mean gap "
                    + expectedGap / trials + "; the square adds 0.6)");
        }
    }

    /** Images a + b x + c y with a little noise, clipped to 0..1. */
    private static List<float[]> ramps(int n, Random random) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double a = 0.2 + 0.3 * random.nextDouble();
            double b = (random.nextDouble() - 0.5) * 0.03;
            double c = (random.nextDouble() - 0.5) * 0.03;
            float[] image = new float[SIDE * SIDE];
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double v = a + b * x + c * y + 0.01 * random.nextGaussian();
                    image[y * SIDE + x] = (float) Math.max(0, Math.min(1, v));
                }
            }
            out.add(image);
        }
        return out;
    }
}
