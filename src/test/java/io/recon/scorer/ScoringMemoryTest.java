package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ModelBundle;

/**
 * Scoring leaves nothing behind in the model's native memory: after the first batch, the number of
 * arrays the model's manager holds stays the same however many batches are scored. A leak here once
 * grew the scorer's native memory by about 12 MB a minute under the replay (one clipped copy of the
 * decoder's log-variance per batch, owned by the model).
 */
@Tag("plain-djl")
class ScoringMemoryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BATCHES = 50;

    @Test
    void telemetryScoringHoldsNoArrayPastItsBatch() {
        try (ModelBundle bundle = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), MAPPER)) {
            int width = bundle.block().architecture().inputSize();
            Random random = new Random(1);
            List<float[]> rows = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                float[] row = new float[width];
                for (int j = 0; j < width; j++) {
                    row[j] = (float) random.nextGaussian();
                }
                rows.add(row);
            }
            assertStable(managerOf(bundle.block()), () -> bundle.scorer().score(rows));
        }
    }

    @Test
    void imageScoringHoldsNoArrayPastItsBatch() {
        try (ImageModelBundle bundle = ImageModelBundle.load(Path.of("models/imaging-vae-fashion-1"), Device.cpu(),
                MAPPER)) {
            List<float[]> images = new ArrayList<>();
            Random random = new Random(2);
            for (int i = 0; i < 8; i++) {
                float[] image = new float[28 * 28];
                for (int j = 0; j < image.length; j++) {
                    image[j] = random.nextFloat();
                }
                images.add(image);
            }
            assertStable(managerOf(bundle.scorer().block()), () -> bundle.scorer().score(images));
        }
    }

    private static void assertStable(NDManager model, Runnable scoreOneBatch) {
        scoreOneBatch.run();
        int after = model.getManagedArrays().size();
        for (int b = 0; b < BATCHES; b++) {
            scoreOneBatch.run();
        }
        assertEquals(after, model.getManagedArrays().size(), "arrays left in the model's manager by " + BATCHES
                + " scored batches");
    }

    private static NDManager managerOf(Block block) {
        return block.getParameters().get(0).getValue().getArray().getManager();
    }
}
