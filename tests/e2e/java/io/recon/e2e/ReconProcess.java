package io.recon.e2e;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged Recon jar running as its own process, as an operator runs it: started with
 * system properties, its output captured, stopped with SIGTERM or killed with SIGKILL.
 */
public final class ReconProcess implements AutoCloseable {

    /** The packaged application. */
    public static final String JAR = "target/quarkus-app/quarkus-run.jar";

    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ReconProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "recon-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar with {@code -Dkey=value} for each property. */
    public static ReconProcess start(Map<String, String> properties) {
        return start(List.of(), properties);
    }

    /** Starts the jar with extra JVM options (a profiler, heap size) and the properties. */
    public static ReconProcess start(List<String> jvmOptions, Map<String, String> properties) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Dai.djl.offline=true");
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR);
        try {
            return new ReconProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + JAR + " (run mvn package first)", e);
        }
    }

    /** Properties for a scorer-only process against an external broker, on a free HTTP port. */
    public static Map<String, String> scorerAgainst(String bootstrap) {
        return new java.util.LinkedHashMap<>(Map.of(
                "recon.roles", "scorer",
                "recon.kafka.embedded.enabled", "false",
                "kafka.bootstrap.servers", bootstrap,
                "quarkus.http.port", Integer.toString(freePort())));
    }

    /** Waits until a line matching {@code condition} was printed; false on timeout or exit. */
    public boolean awaitLine(Predicate<String> condition, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (countLines(condition) > 0) {
                return true;
            }
            if (!process.isAlive()) {
                return countLines(condition) > 0;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /**
     * Asks {@code GET /q/health/ready} on {@code httpPort} every half second until it answers 200
     * (the roles' warm-ups done, models loaded, Kafka reachable), the process exits, or
     * {@code timeoutSeconds} pass; returns the last answer.
     */
    public HttpResponse<String> awaitReady(int httpPort, long timeoutSeconds) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        HttpResponse<String> answer = client.send(ready, HttpResponse.BodyHandlers.ofString());
        while (answer.statusCode() != 200 && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(500);
            answer = client.send(ready, HttpResponse.BodyHandlers.ofString());
        }
        return answer;
    }

    /** How many printed lines match. */
    public long countLines(Predicate<String> condition) {
        synchronized (lines) {
            return lines.stream().filter(condition).count();
        }
    }

    /** The last {@code n} lines printed, for failure messages. */
    public String tail(int n) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    /** Whether the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process dies mid-batch, as in a node failure or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait; returns whether it exited in time (killed otherwise). */
    public boolean stop(long timeoutSeconds) throws InterruptedException {
        // Through the handle: Process.destroy() also closes our end of the output pipe, and the
        // shutdown log would be lost.
        process.toHandle().destroy();
        boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(5_000);
        return exited;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop(30);
        }
    }

    /** A free TCP port on loopback. */
    public static int freePort() {
        return freePorts(1)[0];
    }

    /**
     * {@code n} distinct free ports. All sockets stay open until every port is picked: separate
     * {@link #freePort()} calls may be handed the same just-released port twice.
     */
    public static int[] freePorts(int n) {
        List<ServerSocket> open = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                open.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the port is still free for the caller; nothing to do
                }
            }
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
