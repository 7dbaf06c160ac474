package io.recon.scorer;

import java.util.List;
import java.util.OptionalLong;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * Bytes the C heap holds for live allocations (glibc {@code mallinfo2}: in-use chunks of every
 * arena plus mmap()ed blocks). libtorch's CPU tensors are allocated there, so this is the number
 * that shows a native leak; the process's RSS also moves with the Java heap and with freed memory
 * glibc keeps for reuse ({@link NativeAllocator}). Empty where glibc 2.33+ is not the C library.
 */
public final class NativeHeap {

    private static final CLibrary C = load();

    private NativeHeap() {
    }

    /** glibc's {@code struct mallinfo2}: ten {@code size_t} fields. */
    public static class Mallinfo2 extends Structure {
        /** Passed by value, as glibc returns it. */
        public static class ByValue extends Mallinfo2 implements Structure.ByValue {
        }

        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                    "fordblks", "keepcost");
        }
    }

    /** The C library's {@code mallinfo2}. */
    interface CLibrary extends Library {
        Mallinfo2.ByValue mallinfo2();
    }

    private static CLibrary load() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        try {
            CLibrary c = Native.load("c", CLibrary.class);
            c.mallinfo2();
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
        Mallinfo2.ByValue info = C.mallinfo2();
        return OptionalLong.of(info.uordblks + info.hblkhd);
    }
}
