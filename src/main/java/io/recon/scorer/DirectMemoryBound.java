package io.recon.scorer;

import java.lang.management.ManagementFactory;

import org.jboss.logging.Logger;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Says so at start when the JVM runs without {@code -XX:MaxDirectMemorySize}. DJL copies every
 * loaded parameter and every input batch into a direct buffer that only garbage collection frees;
 * closing a model frees libtorch's tensor but not that buffer. Unbounded, the limit is the heap's
 * maximum, and with little heap churn those buffers pile up (about 6 MB per image-model reload)
 * until the pod is killed; bounded, the JVM collects when it is reached.
 */
final class DirectMemoryBound {

    private static final Logger LOG = Logger.getLogger(DirectMemoryBound.class);
    /** What README and Dockerfile.jvm set. */
    static final String RECOMMENDED = "-XX:MaxDirectMemorySize=256m";

    private DirectMemoryBound() {
    }

    /** Logs a warning once per call when the bound is the JVM's default. */
    static void warnIfUnbounded() {
        try {
            VMOption option = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize");
            if (option.getOrigin() == VMOption.Origin.DEFAULT) {
                LOG.warnf("The JVM runs without -XX:MaxDirectMemorySize: the direct buffers DJL copies model "
                        + "parameters and input batches into are freed only at garbage collection and may pile up "
                        + "to the heap's maximum; start it with %s (as README and Dockerfile.jvm do)", RECOMMENDED);
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot (a native image, for one): nothing to check
        }
    }
}
