package io.recon.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WindowTest {

    @Test
    void continuousWindowMapsCentreToHalfAndClamps() {
        Window brain = Window.CT_BRAIN;
        assertEquals(0.5f, brain.apply(40), 1e-7f);
        assertEquals(0f, brain.apply(0));
        assertEquals(0f, brain.apply(-1000));
        assertEquals(1f, brain.apply(80));
        assertEquals(0.25f, brain.apply(20), 1e-7f);
        assertEquals(0f, brain.apply(Double.NaN));
        assertEquals(new Window(400, 1800), Window.CT_BONE);
        assertEquals(new Window(5, 10), Window.ofRange(0, 10));
    }

    @Test
    void dicomLinearFunctionFollowsPs3_3() {
        // PS3.3 C.11.2.1.2.1 with c=600, w=1600: 0 at/below 599.5-799.5=-200, 1 above 1399, linear between.
        Window w = new Window(600, 1600);
        assertEquals(0f, w.applyDicom(-200));
        assertEquals(1f, w.applyDicom(1400));
        assertEquals(0.5f, w.applyDicom(599.5), 1e-7f);
        // MR_small pixel (0,0) = 905 -> 0.6910569 (numpy, reference_stats.py)
        assertEquals(0.6910569105691057, w.applyDicom(905), 1e-6);
        // Width below 1 is undefined in the standard: falls back to the continuous ramp.
        assertEquals(new Window(0.5, 0.5).apply(0.6), new Window(0.5, 0.5).applyDicom(0.6));
    }

    @Test
    void rejectsNonPositiveWidth() {
        assertThrows(IllegalArgumentException.class, () -> new Window(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Window(Double.NaN, 10));
    }
}
