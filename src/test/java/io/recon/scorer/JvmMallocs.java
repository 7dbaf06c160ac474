package io.recon.scorer;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * What the JVM itself has taken from the C heap (its compilers' arenas, symbols, class metadata,
 * direct buffers), as Native Memory Tracking counts it. Subtracted from glibc's figure, what is
 * left is what native libraries such as libtorch hold. Empty when the JVM runs without
 * {@code -XX:NativeMemoryTracking}.
 */
final class JvmMallocs {

    /** The summary's total line, "malloc: 9504KB #16000"; categories below it write "malloc=". */
    private static final Pattern TOTAL_MALLOC = Pattern.compile("(?m)^\\s*malloc: (\\d+)KB");

    private JvmMallocs() {
    }

    static OptionalLong bytes() {
        try {
            Object summary = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher total = TOTAL_MALLOC.matcher(String.valueOf(summary));
            return total.find() ? OptionalLong.of(Long.parseLong(total.group(1)) * 1024) : OptionalLong.empty();
        } catch (JMException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
