package io.recon.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScoreWindowTest {

    @Test
    void keepsTheLastScoresOldestFirst() {
        ScoreWindow w = new ScoreWindow(3);
        w.add(1);
        w.add(2);
        assertArrayEquals(new double[] {1, 2}, w.snapshot());
        w.add(3);
        w.add(4);
        w.add(5);
        assertArrayEquals(new double[] {3, 4, 5}, w.snapshot());
        assertEquals(3, w.count());
        assertEquals(5, w.added());
    }
}
