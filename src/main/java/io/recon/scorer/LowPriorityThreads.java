package io.recon.scorer;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

/**
 * Threads that the kernel schedules after the others when the CPU is contended: each raises its
 * own nice value as it starts (any thread may lower its own priority; raising it back would need
 * privileges, so these threads serve one purpose for life). Where that is not possible (not
 * Linux, no glibc), the threads run at normal priority and the first says so once.
 */
public final class LowPriorityThreads implements ThreadFactory {

    private static final Logger LOG = Logger.getLogger(LowPriorityThreads.class);
    private static final int PRIO_PROCESS = 0;

    private final String name;
    private final int nice;
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean warned;

    /**
     * @param name thread name prefix
     * @param nice nice value, 1 (a little after) to 19 (only when nothing else wants the CPU)
     */
    public LowPriorityThreads(String name, int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("a nice value is between 0 and 19, not " + nice);
        }
        this.name = name;
        this.nice = nice;
    }

    @Override
    public Thread newThread(Runnable work) {
        Thread t = new Thread(() -> {
            lowerOwnPriority();
            work.run();
        }, name + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    private void lowerOwnPriority() {
        String failure;
        try {
            Glibc libc = Glibc.load();
            if (libc == null) {
                failure = "not Linux";
            } else {
                int rc = libc.setpriority(PRIO_PROCESS, libc.gettid(), nice);
                failure = rc == 0 ? null : "setpriority returned " + rc;
            }
        } catch (LinkageError e) {
            failure = e.getMessage();
        }
        if (failure != null && !warned) {
            warned = true;
            LOG.warnf("Threads %s run at normal priority (%s): they share the CPU evenly with the others", name,
                    failure);
        }
    }
}
