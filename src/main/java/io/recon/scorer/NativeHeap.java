package io.recon.scorer;

import java.util.OptionalLong;

/**
 * Bytes the C heap holds for live allocations (glibc {@code mallinfo2}: in-use chunks of every
 * arena plus mmap()ed blocks). libtorch's CPU tensors are allocated there, so this is the number
 * that shows a native leak; the process's RSS also moves with the Java heap and with freed memory
 * glibc keeps for reuse ({@link NativeAllocator}). Empty where glibc 2.33+ is not the C library.
 */
public final class NativeHeap {

    private static final Glibc C = load();

    private NativeHeap() {
    }

    /** glibc with {@code mallinfo2} (2.33+), or null. */
    private static Glibc load() {
        try {
            Glibc c = Glibc.load();
            if (c != null) {
                c.mallinfo2();
            }
            return c;
        } catch (LinkageError | RuntimeException e) {
            return null; // musl, or glibc older than 2.33
        }
    }

    /** Whether the figure is available here. */
    public static boolean isAvailable() {
        return C != null;
    }

    /** Bytes in live C-heap allocations now. */
    public static OptionalLong inUseBytes() {
        if (C == null) {
            return OptionalLong.empty();
        }
        Glibc.Mallinfo2.ByValue info = C.mallinfo2();
        return OptionalLong.of(info.uordblks + info.hblkhd);
    }
}
