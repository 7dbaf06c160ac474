package io.recon.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a user runs it: the packaged jar with its defaults (embedded
 * broker, bundled model, replay of the recorded real flows, alert log), started as its own
 * process. Alerts must be printed, the service must report ready with metrics, and SIGTERM must
 * stop it cleanly. Only the ports are moved, so a busy machine's 8080/9092 do not interfere.
 */
class OneProcessDemoIT {

    @Test
    void packagedJarStreamsRealFlowsAndPrintsAlerts() throws Exception {
        int kafka = freePort();
        int controller = freePort();
        int http = freePort();
        List<String> command = List.of(javaBinary(), "-Dai.djl.offline=true",
                "-Drecon.kafka.embedded.port=" + kafka, "-Drecon.kafka.embedded.controller-port=" + controller,
                "-Dkafka.bootstrap.servers=127.0.0.1:" + kafka, "-Dquarkus.http.port=" + http,
                "-Drecon.replay.rate=1000",
                "-jar", "target/quarkus-app/quarkus-run.jar");
        Process app = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(app.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        });
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && alertLines(lines) < 5 && app.isAlive()) {
                Thread.sleep(500);
            }
            assertTrue(alertLines(lines) >= 5, "expected alerts within 2 minutes; output:\n" + tail(lines));

            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("recon_alerts_total"), "alerts are metered");
            assertTrue(metrics.body().contains("recon_events_dead_lettered_total"),
                    "the replay's deliberately malformed events reach the dead-letter topic");
        } finally {
            app.destroy(); // SIGTERM, as Ctrl-C or Kubernetes would
            boolean exited = app.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                app.destroyForcibly();
            }
            reader.join(5_000);
            assertTrue(exited, "the service stops on SIGTERM within a minute");
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("Embedded Kafka broker stopped")), tail(lines));
    }

    private static long alertLines(List<String> lines) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(" ALERT ")).count();
        }
    }

    private static String tail(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    private static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
