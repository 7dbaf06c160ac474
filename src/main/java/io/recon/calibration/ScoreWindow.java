package io.recon.calibration;

/** The last {@code size} scores added, oldest overwritten first; safe to share between threads. */
public final class ScoreWindow {

    private final double[] ring;
    private int next;
    private int count;
    private long added;

    /** @param size scores kept, at least 1 */
    public ScoreWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a score window holds at least one score, got " + size);
        }
        this.ring = new double[size];
    }

    /** Adds a score, dropping the oldest when full. */
    public synchronized void add(double score) {
        ring[next] = score;
        next = (next + 1) % ring.length;
        count = Math.min(count + 1, ring.length);
        added++;
    }

    /** How many scores were ever added, clears counted too: it changes whenever the contents do. */
    public synchronized long added() {
        return added;
    }

    /** Drops every score. */
    public synchronized void clear() {
        next = 0;
        count = 0;
        added++;
    }

    /** The scores held, oldest first. */
    public synchronized double[] snapshot() {
        double[] out = new double[count];
        int start = count < ring.length ? 0 : next;
        for (int i = 0; i < count; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return out;
    }

    /** How many scores it holds. */
    public synchronized int count() {
        return count;
    }

    /** How many it can hold. */
    public int size() {
        return ring.length;
    }
}
