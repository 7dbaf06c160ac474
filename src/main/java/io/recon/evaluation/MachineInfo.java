package io.recon.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.Device;

/** The machine a benchmark ran on, for its report: figures mean little without it. */
public final class MachineInfo {

    private MachineInfo() {
    }

    /** CPU model, cores, DJL device and threads, OS and Java version. */
    public static ObjectNode describe(ObjectMapper mapper, Device device) {
        ObjectNode m = mapper.createObjectNode();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("device", device.toString());
        m.put("torchThreads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the report just says so.
        }
        return "unknown CPU";
    }
}
