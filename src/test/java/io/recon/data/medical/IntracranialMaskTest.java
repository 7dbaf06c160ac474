package io.recon.data.medical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.recon.evaluation.BinaryMetrics;

class IntracranialMaskTest {

    private static final int S = SkullPhantom.SIDE;

    @Test
    void brainInsideAClosedSkullIsInTheMaskAirBoneAndScalpAreNot() {
        boolean[] mask = IntracranialMask.of(SkullPhantom.slice(0), S, S);
        assertTrue(mask[32 * S + 32], "centre of the brain");
        assertFalse(mask[32 * S + 32 + 23], "bone");
        assertFalse(mask[2 * S + 2], "air in the corner");
        // pi * 22^2 ~ 1,520 pixels of brain
        int n = BinaryMetrics.countTrue(mask);
        assertTrue(n > 1400 && n < 1600, "mask size " + n);
    }

    @Test
    void aSmallGapInTheSkullDoesNotLetTheOutsideIn() {
        // A flood fill from the border would leak through this 10-degree opening and empty the mask.
        int closed = BinaryMetrics.countTrue(IntracranialMask.of(SkullPhantom.slice(0), S, S));
        int gap = BinaryMetrics.countTrue(IntracranialMask.of(SkullPhantom.slice(10), S, S));
        assertTrue(gap > 0.9 * closed, gap + " of " + closed);
    }

    @Test
    void withoutBoneNothingIsIntracranial() {
        float[] tissueOnly = new float[S * S];
        java.util.Arrays.fill(tissueOnly, SkullPhantom.BRAIN_HU);
        assertEquals(0, BinaryMetrics.countTrue(IntracranialMask.of(tissueOnly, S, S)));
    }

    @Test
    void tissueOutsideTheBrainRangeIsExcluded() {
        float[] hu = SkullPhantom.slice(0);
        hu[32 * S + 32] = 5f; // CSF
        hu[32 * S + 33] = 80f; // a vessel or calcification
        boolean[] mask = IntracranialMask.of(hu, S, S);
        assertFalse(mask[32 * S + 32]);
        assertFalse(mask[32 * S + 33]);
        assertTrue(mask[32 * S + 34]);
    }
}
