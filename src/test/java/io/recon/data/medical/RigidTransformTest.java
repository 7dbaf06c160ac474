package io.recon.data.medical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class RigidTransformTest {

    @Test
    void identityCopiesAndShiftMovesPixelsFillingWithAir() {
        float[] s = new float[5 * 5];
        s[2 * 5 + 2] = 7f;
        assertArrayEquals(s, RigidTransform.IDENTITY.apply(s, 5, 5, -1024f));
        float[] shifted = new RigidTransform(0, 1, 0).apply(s, 5, 5, -1024f);
        assertEquals(7f, shifted[2 * 5 + 3], 1e-5, "moved one pixel right");
        assertEquals(-1024f, shifted[2 * 5], 1e-5, "the column shifted in is air");
    }

    @Test
    void aQuarterTurnAboutTheCentreMovesAPixelAlongTheCircle() {
        float[] s = new float[5 * 5];
        s[2 * 5 + 4] = 1f; // right of the centre
        float[] turned = new RigidTransform(90, 0, 0).apply(s, 5, 5, 0f);
        // Counter-clockwise in image coordinates (y down): right of centre goes to below it.
        assertEquals(1f, turned[4 * 5 + 2], 1e-5);
        assertEquals(0f, turned[2 * 5 + 4], 1e-5);
    }

    @Test
    void randomPosesStayWithinTheirRange() {
        Random r = new Random(3);
        for (int i = 0; i < 100; i++) {
            RigidTransform t = RigidTransform.random(r, 8, 5);
            assertTrue(Math.abs(t.degrees()) <= 8 && Math.abs(t.dx()) <= 5 && Math.abs(t.dy()) <= 5, t.toString());
        }
    }
}
