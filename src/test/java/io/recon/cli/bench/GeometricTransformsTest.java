package io.recon.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GeometricTransformsTest {

    /** A 3x3 image numbered row by row: 1 2 3 / 4 5 6 / 7 8 9. */
    private static final float[] IMAGE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void mirrorSwapsColumnsAndTwiceGivesTheImageBack() {
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, GeometricTransforms.mirror(IMAGE));
        assertArrayEquals(IMAGE, GeometricTransforms.mirror(GeometricTransforms.mirror(IMAGE)));
    }

    @Test
    void shiftMovesPixelsAndFillsTheUncoveredEdgeWithBackground() {
        assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5, 0, 7, 8}, GeometricTransforms.shift(IMAGE, 1, 0));
        assertArrayEquals(new float[] {2, 3, 0, 5, 6, 0, 8, 9, 0}, GeometricTransforms.shift(IMAGE, -1, 0));
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 4, 5, 6}, GeometricTransforms.shift(IMAGE, 0, 1));
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 0, 0, 0}, GeometricTransforms.shift(IMAGE, 0, -1));
    }

    @Test
    void theAveragedSetIsTheMirrorAndFourShifts() {
        assertEquals(5, GeometricTransforms.mirrorAndShifts().size());
        assertArrayEquals(GeometricTransforms.mirror(IMAGE), GeometricTransforms.mirrorAndShifts().get(0).apply(IMAGE));
    }

    @Test
    void aNonSquareImageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GeometricTransforms.mirror(new float[5]));
    }
}
