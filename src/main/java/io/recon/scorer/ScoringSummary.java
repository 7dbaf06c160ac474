package io.recon.scorer;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.recon.progress.Estimate;

/**
 * The scorer's last interval in one line, read from the process's meter registry (the counters of
 * {@link ScoringMetrics} and the Kafka consumers' own gauges), e.g.
 * {@code SUMMARY 60s telemetry 98.3 ev/s, imaging 0.20 ev/s, alerts 5, dead letters 0, lag 12}:
 * events received per second on each stream, alerts raised and events dead-lettered in the
 * interval, and the largest records-lag of the input consumers now.
 */
public final class ScoringSummary {

    /** Kafka's per-consumer gauge of the largest lag over its partitions (the Grafana lag panel's too). */
    static final String LAG = "kafka.consumer.fetch.manager.records.lag.max";

    private final MeterRegistry registry;
    private final LongSupplier nanoTime;
    private Figures last;

    /**
     * @param registry the process's registry
     * @param nanoTime the clock ({@code System::nanoTime}); the first interval starts now
     */
    public ScoringSummary(MeterRegistry registry, LongSupplier nanoTime) {
        this.registry = registry;
        this.nanoTime = nanoTime;
        this.last = read();
    }

    /** The line for the interval since the last call (or since construction), which ends now. */
    public synchronized String next() {
        Figures now = read();
        double seconds = (now.at - last.at) / 1e9;
        // Whole seconds as a rule; a window the scheduler did not keep (the first one, a late run)
        // shows its tenths, so that the rate times the window is what was counted.
        String window = Math.abs(seconds - Math.rint(seconds)) < 0.05 ? Long.toString(Math.round(seconds))
                : String.format(Locale.ROOT, "%.1f", seconds);
        StringBuilder line = new StringBuilder("SUMMARY " + window + "s ");
        Map<String, Double> received = new TreeMap<>(ScoringSummary::streamOrder);
        received.putAll(now.received);
        // A stream that was seen before but had nothing this interval still shows, at 0.
        last.received.keySet().forEach(s -> received.putIfAbsent(s, 0.0));
        received.putIfAbsent("telemetry", 0.0);
        received.forEach((stream, total) -> {
            double delta = total - last.received.getOrDefault(stream, 0.0);
            line.append(stream).append(' ').append(Estimate.rate(seconds > 0 ? Math.max(0, delta) / seconds : 0))
                    .append(" ev/s, ");
        });
        line.append("alerts ").append(Math.round(Math.max(0, now.alerts - last.alerts)))
                .append(", dead letters ").append(Math.round(Math.max(0, now.deadLetters - last.deadLetters)))
                .append(", lag ").append(Double.isNaN(now.lag) ? "n/a" : Long.toString(Math.round(now.lag)));
        last = now;
        return line.toString();
    }

    /** Telemetry first, imaging second, any other stream after them by name. */
    private static int streamOrder(String a, String b) {
        int ra = rank(a);
        int rb = rank(b);
        return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
    }

    private static int rank(String stream) {
        return switch (stream) {
            case "telemetry" -> 0;
            case "imaging" -> 1;
            default -> 2;
        };
    }

    /** Counter totals and the lag at one moment. */
    private record Figures(long at, Map<String, Double> received, double alerts, double deadLetters, double lag) {
    }

    private Figures read() {
        Map<String, Double> received = new TreeMap<>();
        for (Counter c : registry.find("recon.events.received").counters()) {
            String stream = c.getId().getTag("stream");
            received.merge(stream == null ? "events" : stream, c.count(), Double::sum);
        }
        double alerts = registry.find("recon.alerts").counters().stream().mapToDouble(Counter::count).sum();
        double dead = registry.find("recon.events.dead.lettered").counters().stream().mapToDouble(Counter::count).sum();
        double lag = Double.NaN;
        for (Gauge g : registry.find(LAG).gauges()) {
            double v = g.value();
            // Kafka reports NaN (or -Infinity in older clients) before a consumer's first fetch.
            if (Double.isFinite(v) && (Double.isNaN(lag) || v > lag)) {
                lag = v;
            }
        }
        return new Figures(nanoTime.getAsLong(), received, alerts, dead, lag);
    }
}
