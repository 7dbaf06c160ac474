package io.recon.nn.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The cosine schedule's shape and the DDIM sampling paths through it. */
class CosineScheduleTest {

    @Test
    void signalFallsFromOneToAlmostNothing() {
        CosineSchedule s = new CosineSchedule(1000);
        assertEquals(1, s.alphaBar(0));
        for (int t = 1; t <= 1000; t++) {
            assertTrue(s.alphaBar(t) < s.alphaBar(t - 1) && s.alphaBar(t) >= 0, "step " + t);
        }
        assertTrue(s.alphaBar(1) > 0.9999, "the first step adds almost no noise: " + s.alphaBar(1));
        assertTrue(s.alphaBar(1000) < 1e-4, "the last leaves almost no signal: " + s.alphaBar(1000));
        // Nichol and Dhariwal's point: half the signal is left near the middle, not near the start.
        assertEquals(0.5, s.alphaBar(500), 0.02);
    }

    @Test
    void samplingPathsRunFromTDownToOne() {
        CosineSchedule s = new CosineSchedule(1000);
        int[] path = s.samplingPath(50);
        assertEquals(50, path.length);
        assertEquals(1000, path[0]);
        assertEquals(1, path[49]);
        for (int i = 1; i < path.length; i++) {
            assertTrue(path[i] < path[i - 1]);
        }
        assertArrayEquals(IntStream.iterate(10, t -> t - 1).limit(10).toArray(), new CosineSchedule(10)
                .samplingPath(10));
        assertArrayEquals(new int[] {10}, new CosineSchedule(10).samplingPath(1));
        assertThrows(IllegalArgumentException.class, () -> s.samplingPath(1001));
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(1));
    }
}
