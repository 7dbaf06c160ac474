package io.recon.scorer;

import org.jboss.logging.Logger;


/**
 * Keeps glibc from handing libtorch's freed tensor buffers back to the kernel after every batch.
 * A scoring batch allocates a few megabytes per intermediate tensor; by default glibc serves
 * those with fresh mmap()s or trims them off the heap when freed, so each batch page-faults and
 * zeroes its whole working set again. Profiled here, those faults were a quarter of the
 * scorer's CPU. With the thresholds raised, the heap keeps the memory and reuses it.
 * This is what PyTorch's CPU tuning guide does with jemalloc or tcmalloc, without a preload.
 *
 * <p>Only on Linux with glibc; an explicit {@code MALLOC_MMAP_THRESHOLD_} or
 * {@code MALLOC_TRIM_THRESHOLD_} in the environment is the operator's choice and wins.
 */
final class NativeAllocator {

    private static final Logger LOG = Logger.getLogger(NativeAllocator.class);

    // <malloc.h>
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    /** glibc's ceiling for the mmap threshold on 64-bit (HEAP_MAX_SIZE / 2). */
    private static final int MMAP_THRESHOLD = 32 << 20;
    /** Free memory a heap may keep before it is trimmed: several batches' tensors. */
    private static final int TRIM_THRESHOLD = 256 << 20;

    private NativeAllocator() {
    }

    /** Raises the thresholds before libtorch allocates (idempotent); a no-op where it does not apply. */
    static void keepFreedMemory() {
        if (System.getenv("MALLOC_MMAP_THRESHOLD_") != null || System.getenv("MALLOC_TRIM_THRESHOLD_") != null) {
            return;
        }
        try {
            Glibc c = Glibc.load();
            if (c != null && c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    && c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1) {
                LOG.debugf("glibc malloc: mmap threshold %d MiB, trim threshold %d MiB", MMAP_THRESHOLD >> 20,
                        TRIM_THRESHOLD >> 20);
            }
        } catch (LinkageError e) {
            // not glibc (musl, for one): its allocator, its behaviour
            LOG.debugf("glibc mallopt not available: %s", e);
        }
    }
}
