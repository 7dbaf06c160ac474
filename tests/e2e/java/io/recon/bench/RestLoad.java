package io.recon.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients that post scoring requests to {@code /score/telemetry} as fast as the scorer answers,
 * each waiting for its answer before the next (a closed loop, like busy API users), counting the
 * answers by status.
 */
final class RestLoad implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final List<Thread> clients = new ArrayList<>();
    private final long started = System.nanoTime();
    private long stopped;

    /**
     * @param port    the scorer's HTTP port
     * @param body    the JSON array of events each request carries
     * @param clients concurrent clients
     */
    RestLoad(int port, String body, int clients) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score/telemetry"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        failures.increment();
                    }
                }
            }, "rest-load-" + i);
            t.setDaemon(true);
            t.start();
            this.clients.add(t);
        }
    }

    /** Answers by HTTP status so far (and {@code -1}: requests that got no answer). */
    Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new TreeMap<>();
        statuses.forEach((status, n) -> out.put(status, n.sum()));
        if (failures.sum() > 0) {
            out.put(-1, failures.sum());
        }
        return out;
    }

    /** Seconds from start to close (or to now). */
    double seconds() {
        return ((stopped == 0 ? System.nanoTime() : stopped) - started) / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        stopped = System.nanoTime();
        for (Thread t : clients) {
            t.join(70_000);
        }
    }
}
