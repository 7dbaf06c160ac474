package io.recon.nn.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.recon.data.FeatureRows;

/** Rows to the diffusion model's vectors and back. */
class DiffusionRowCodecTest {

    private final FeatureRows table = new FeatureRows(List.of("bytes", "proto", "flags"),
            new boolean[] {true, false, true}, List.of(
                    new String[] {"100", "tcp", "0"},
                    new String[] {"2000", "udp", "0"},
                    new String[] {"30000", "tcp", "3"},
                    new String[] {"400", "icmp", "1"}));

    @Test
    void numbersTakeOneSlotAndCategoriesAPlusMinusOneBlock() {
        DiffusionRowCodec codec = DiffusionRowCodec.fit(table);
        assertEquals(1 + 3 + 1, codec.width());
        float[] encoded = codec.encode(table.rows().get(1), table);
        assertArrayEquals(new float[] {1, -1, 1, -1}, new float[] {Math.signum(encoded[0]), encoded[1], encoded[2],
            encoded[3]});
    }

    @Test
    void everyTrainingRowDecodesToItself() {
        DiffusionRowCodec codec = DiffusionRowCodec.fit(table);
        for (String[] row : table.rows()) {
            assertArrayEquals(row, codec.decode(codec.encode(row, table)));
        }
    }

    @Test
    void aCategoryIsItsLargestSlot() {
        DiffusionRowCodec codec = DiffusionRowCodec.fit(table);
        String[] row = codec.decode(new float[] {0, 0.2f, 0.9f, -3, 0});
        assertEquals("udp", row[1]);
    }
}
