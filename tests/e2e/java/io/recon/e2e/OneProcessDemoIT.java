package io.recon.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

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
        int[] ports = ReconProcess.freePorts(3);
        int kafka = ports[0];
        int http = ports[1];
        ReconProcess app = ReconProcess.start(Map.of(
                "recon.kafka.embedded.port", Integer.toString(kafka),
                "recon.kafka.embedded.controller-port", Integer.toString(ports[2]),
                "kafka.bootstrap.servers", "127.0.0.1:" + kafka,
                "quarkus.http.port", Integer.toString(http),
                "recon.replay.rate", "1000"));
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < deadline && app.countLines(l -> l.contains(" ALERT ")) < 5 && app.isAlive()) {
                Thread.sleep(500);
            }
            assertTrue(app.countLines(l -> l.contains(" ALERT ")) >= 5,
                    "expected alerts within 2 minutes; output:\n" + app.tail(40));

            // Alerts can be printed before the HTTP server listens: the replay and the scorer start
            // with the broker, while Quarkus opens its port only when every start-up step is done.
            assertTrue(app.awaitLine(l -> l.contains("Listening on"), 60), "the HTTP server listens; output:\n"
                    + app.tail(40));
            // Ready once the explainer has warmed up on synthetic alerts, which may outlast the first
            // alerts on 2 cores.
            HttpResponse<String> ready = app.awaitReady(http, 60);
            assertEquals(200, ready.statusCode(), ready.body());
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("recon_alerts_total"), "alerts are metered");
        } finally {
            assertTrue(app.stop(60), "the service stops on SIGTERM (Ctrl-C, Kubernetes) within a minute");
        }
        assertTrue(app.countLines(l -> l.contains("Embedded Kafka broker stopped")) > 0, app.tail(40));
    }
}
