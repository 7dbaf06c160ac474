package io.recon.data.medical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SyntheticLesionTest {

    private static final int S = SkullPhantom.SIDE;

    @Test
    void fullContrastInTheCoreNothingOutsideTheRadiusAndTheMaskInBetween() {
        float[] hu = new float[S * S];
        SyntheticLesion lesion = new SyntheticLesion(32, 32, 10, 1, 0, 40);
        float[] out = lesion.applyTo(hu, S, S);
        assertEquals(40f, out[32 * S + 32], 1e-4, "core");
        assertEquals(40f, out[32 * S + 38], 1e-4, "0.6 of the radius is still core");
        assertEquals(0f, out[32 * S + 43], 1e-6, "outside");
        float edge = out[32 * S + 41]; // 0.9 of the radius: on the falling edge
        assertTrue(edge > 0 && edge < 40, "edge " + edge);
        assertEquals(0f, hu[32 * S + 32], "the input is not modified");

        boolean[] mask = lesion.mask(S, S);
        assertTrue(mask[32 * S + 40]);  // 0.8 <= 0.85
        assertFalse(mask[32 * S + 41]); // 0.9 > 0.85
        assertEquals("bright", lesion.kind());
        assertEquals("dark", new SyntheticLesion(32, 32, 10, 1, 0, -20).kind());
    }

    @Test
    void anEllipseIsNarrowerAcrossItsMajorAxis() {
        boolean[] mask = new SyntheticLesion(32, 32, 10, 0.5, 0, 30).mask(S, S);
        assertTrue(mask[32 * S + 40], "along the major axis (x)");
        assertFalse(mask[40 * S + 32], "across it (y) the semi-axis is 5");
        assertThrows(IllegalArgumentException.class, () -> new SyntheticLesion(1, 1, 0, 1, 0, 1));
    }

    @Test
    void sampledLesionsLieInTheBrainWithContrastsFromTheRanges() {
        float[] hu = SkullPhantom.slice(0);
        boolean[] brain = IntracranialMask.of(hu, S, S);
        LesionSampler sampler = new LesionSampler(3, 6, 20, 50, 12, 30);
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            SyntheticLesion l = sampler.sample(hu, S, S, random).orElseThrow();
            double d = Math.abs(l.deltaHu());
            assertTrue(l.deltaHu() > 0 ? d >= 20 && d <= 50 : d >= 12 && d <= 30, "contrast " + l.deltaHu());
            assertTrue(l.radius() >= 3 && l.radius() <= 6, "radius " + l.radius());
            boolean[] mask = l.mask(S, S);
            int inside = 0;
            int total = 0;
            for (int p = 0; p < mask.length; p++) {
                if (mask[p]) {
                    total++;
                    inside += brain[p] ? 1 : 0;
                }
            }
            assertTrue(inside >= 0.9 * total, "lesion " + l + " covers " + inside + "/" + total + " brain pixels");
        }
    }

    @Test
    void noLesionWhereThereIsNoEnclosedBrain() {
        float[] air = new float[S * S];
        java.util.Arrays.fill(air, -1000f);
        Optional<SyntheticLesion> none = LesionSampler.defaults().sample(air, S, S, new Random(1));
        assertTrue(none.isEmpty());
    }
}
