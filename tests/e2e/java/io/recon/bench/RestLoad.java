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
 * answers by status. A client told to back off (429 or 503) waits the {@code Retry-After} seconds
 * before its next request, as the API asks; clients that ignore it spin on the same machine as the
 * scorer, which measures how fast this host answers HTTP, not how the scorer shares its model.
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
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
                        backOff(response);
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

    private void backOff(HttpResponse<Void> response) throws InterruptedException {
        java.util.Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent() && running.get()) {
            Thread.sleep(Long.parseLong(retryAfter.get().trim()) * 1000);
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
