package io.recon.explainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Regions of a map: connected groups above the level, highest peak first; the peak alone when none passes. */
class ImageRegionsTest {

    @Test
    void groupsConnectedPixelsAboveTheLevelHighestPeakFirst() {
        int side = 6;
        float[] map = new float[side * side];
        map[7] = 2; // (1, 1)
        map[8] = 3; // (2, 1), joined to (1, 1)
        map[4 * side + 4] = 5; // (4, 4), alone
        map[4 * side + 3 - side] = 0.5f; // below the level
        List<ImageRegions.Found> found = ImageRegions.find(map, side, 1, 3);
        assertEquals(2, found.size());
        assertEquals(List.of(4 * side + 4), found.get(0).pixels());
        assertEquals(5, found.get(0).peak(), 1e-9);
        assertEquals(List.of(7, 8), found.get(1).pixels().stream().sorted().toList());
        assertTrue(found.get(1).aboveLevel());
        assertEquals(1, ImageRegions.find(map, side, 1, 1).size(), "at most max regions");
    }

    @Test
    void withNothingAboveTheLevelThePeakAndItsNeighboursAboveHalfOfItAreTheSpot() {
        int side = 4;
        float[] map = new float[side * side];
        map[5] = 0.8f;
        map[6] = 0.5f;
        map[10] = 0.3f;
        List<ImageRegions.Found> found = ImageRegions.find(map, side, 1, 3);
        assertEquals(1, found.size());
        assertFalse(found.get(0).aboveLevel());
        assertEquals(List.of(5, 6), found.get(0).pixels().stream().sorted().toList());
    }
}
