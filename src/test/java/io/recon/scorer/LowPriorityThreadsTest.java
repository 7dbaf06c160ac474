package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LowPriorityThreadsTest {

    @Test
    void aThreadRunsItsWorkAtTheNiceValueAskedAndOthersKeepTheirs() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "Linux only");
        int before = ownNice();
        assumeTrue(before < 12, "this JVM already runs at nice " + before);
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        Thread t = new LowPriorityThreads("test-low", 12).newThread(() -> seen.complete(ownNice()));
        t.start();
        assertEquals(12, seen.get(10, TimeUnit.SECONDS));
        assertEquals(before, ownNice());
    }

    @Test
    void aNiceValueOutsideTheKernelsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LowPriorityThreads("x", 20));
        assertThrows(IllegalArgumentException.class, () -> new LowPriorityThreads("x", -1));
    }

    /** Field 19 of the calling thread's {@code stat} (after the command name in parentheses). */
    private static int ownNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
