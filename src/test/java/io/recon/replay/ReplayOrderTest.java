package io.recon.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.recon.data.Table;

class ReplayOrderTest {

    private static Table table(int normals, int attacks) {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < normals; i++) {
            rows.add(new String[] {"n" + i, "normal"});
        }
        for (int i = 0; i < attacks; i++) {
            rows.add(new String[] {"a" + i, "attack"});
        }
        return new Table(List.of("id", "label"), rows);
    }

    @Test
    void mixesAttacksAtTheShareAndKeepsEveryNormalRowOnce() {
        Table t = table(1900, 500);
        int[] order = ReplayOrder.of(t, 0.05, 42);
        int attacks = 0;
        Set<Integer> normals = new HashSet<>();
        for (int i : order) {
            if (i >= 1900) {
                attacks++;
            } else {
                assertTrue(normals.add(i), "a normal row twice");
            }
        }
        assertEquals(1900, normals.size());
        assertEquals(0.05, (double) attacks / order.length, 0.002);
        // Mixed in, not bunched: some attack within the first 40 events.
        boolean early = false;
        for (int k = 0; k < 40; k++) {
            early |= order[k] >= 1900;
        }
        assertTrue(early);
    }

    @Test
    void sameSeedSameOrderAndNegativeShareKeepsFileOrder() {
        Table t = table(50, 10);
        assertArrayEquals(ReplayOrder.of(t, 0.1, 7), ReplayOrder.of(t, 0.1, 7));
        int[] file = ReplayOrder.of(t, -1, 7);
        for (int i = 0; i < file.length; i++) {
            assertEquals(i, file[i]);
        }
    }
}
