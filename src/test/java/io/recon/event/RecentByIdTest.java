package io.recon.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentByIdTest {

    @Test
    void keepsTheNewestWithinTheCount() {
        RecentById store = new RecentById(3, 1 << 20);
        for (int i = 0; i < 5; i++) {
            store.put("alert-" + i, new byte[] {(byte) i});
        }
        assertEquals(3, store.size());
        assertTrue(store.get("alert-1").isEmpty());
        assertArrayEquals(new byte[] {4}, store.get("alert-4").orElseThrow());
    }

    @Test
    void staysWithinItsByteBudgetWhateverTheSendersSend() {
        long budget = 1 << 20;
        RecentById store = new RecentById(10_000, budget);
        for (int i = 0; i < 1_000; i++) {
            store.put("id-" + i + "x".repeat(200), new byte[5_000]);
            assertTrue(store.bytes() <= budget, "over budget after " + i + ": " + store.bytes());
        }
        assertTrue(store.size() > 100 && store.size() < 1_000, "kept " + store.size());
        assertTrue(store.get("id-999" + "x".repeat(200)).isPresent(), "the newest is kept");
        // One heatmap larger than the whole budget is not kept, and evicts nothing.
        int before = store.size();
        store.put("huge", new byte[(int) budget]);
        assertTrue(store.get("huge").isEmpty());
        assertEquals(before, store.size());
    }

    @Test
    void replacingAnIdCountsItsBytesOnce() {
        RecentById store = new RecentById(10, 1 << 20);
        store.put("same", new byte[1_000]);
        store.put("same", new byte[10]);
        assertEquals(1, store.size());
        assertEquals(RecentById.ENTRY_OVERHEAD_BYTES + 8 + 10, store.bytes());
    }
}
