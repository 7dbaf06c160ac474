package io.recon.scorer;

import java.util.List;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * The C library's malloc controls and statistics, bound once through JNA for
 * {@link NativeAllocator} (tuning) and {@link NativeHeap} (measuring), and the scheduling priority
 * of one thread for {@link LowPriorityThreads}. A function the library lacks
 * (musl has neither; glibc before 2.33 has no {@code mallinfo2}) fails when called, with a
 * {@link LinkageError}.
 */
public interface Glibc extends Library {

    /** glibc's {@code mallopt}. */
    int mallopt(int param, int value);

    /** glibc's {@code mallinfo2}. */
    Mallinfo2.ByValue mallinfo2();

    /** The calling thread's kernel id (glibc 2.30 and later). */
    int gettid();

    /** {@code setpriority(PRIO_PROCESS, tid, nice)}: on Linux, the nice value of one thread. */
    int setpriority(int which, int who, int prio);

    /** The C library on Linux, or null elsewhere. */
    static Glibc load() {
        return System.getProperty("os.name", "").startsWith("Linux") ? Native.load("c", Glibc.class) : null;
    }

    /** glibc's {@code struct mallinfo2}: ten {@code size_t} fields. */
    class Mallinfo2 extends Structure {
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
}
