package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ScoringSummaryTest {

    private static final long SECOND = 1_000_000_000L;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ScoringMetrics metrics = new ScoringMetrics(registry);
    private final AtomicLong clock = new AtomicLong(42 * SECOND);

    @Test
    void aMinuteOfCountersBecomesOneLine() {
        metrics.received("telemetry", 100); // before the first interval: not counted
        ScoringSummary summary = new ScoringSummary(registry, clock::get);
        metrics.received("telemetry", 5000);
        metrics.received("telemetry", 898);
        metrics.received("imaging", 12);
        for (int i = 0; i < 5; i++) {
            metrics.alert("telemetry", "telemetry-vae", i < 3 ? "low" : "high");
        }
        metrics.deadLettered("telemetry", "invalid_json");
        metrics.deadLettered("imaging", "undecodable_image");
        clock.addAndGet(60 * SECOND);
        assertEquals("SUMMARY 60s telemetry 98.3 ev/s, imaging 0.20 ev/s, alerts 5, dead letters 2, lag n/a",
                summary.next());
    }

    @Test
    void aWindowOffWholeSecondsShowsItsTenths() {
        // 47 events in 1.5 s: "2s" at 31.3 ev/s would claim 63 of them.
        ScoringSummary summary = new ScoringSummary(registry, clock::get);
        metrics.received("telemetry", 47);
        clock.addAndGet(1500 * SECOND / 1000);
        assertEquals("SUMMARY 1.5s telemetry 31.3 ev/s, alerts 0, dead letters 0, lag n/a", summary.next());
        metrics.received("telemetry", 20);
        clock.addAndGet(2010 * SECOND / 1000); // a scheduler's 10 ms of lateness still reads as whole seconds
        assertEquals("SUMMARY 2s telemetry 9.95 ev/s, alerts 0, dead letters 0, lag n/a", summary.next());
    }

    @Test
    void eachLineCountsItsOwnIntervalOnly() {
        ScoringSummary summary = new ScoringSummary(registry, clock::get);
        metrics.received("imaging", 30);
        metrics.alert("imaging", "imaging-vae", "medium");
        clock.addAndGet(60 * SECOND);
        summary.next();
        metrics.received("telemetry", 600);
        clock.addAndGet(30 * SECOND);
        assertEquals("SUMMARY 30s telemetry 20.0 ev/s, imaging 0.00 ev/s, alerts 0, dead letters 0, lag n/a",
                summary.next(), "imaging, seen before, stays at 0; the alert of the last interval is not counted");
    }

    @Test
    void noEventsYetStillSaysSo() {
        ScoringSummary summary = new ScoringSummary(registry, clock::get);
        clock.addAndGet(60 * SECOND);
        assertEquals("SUMMARY 60s telemetry 0.00 ev/s, alerts 0, dead letters 0, lag n/a", summary.next());
    }

    @Test
    void lagIsTheLargestFiniteConsumerLagNow() {
        double[] telemetryLag = {Double.NaN};
        Gauge.builder(ScoringSummary.LAG, () -> telemetryLag[0])
                .tags(Tags.of("client.id", "kafka-consumer-telemetry-events")).register(registry);
        Gauge.builder(ScoringSummary.LAG, () -> 3.0)
                .tags(Tags.of("client.id", "kafka-consumer-imaging-events")).register(registry);
        Gauge.builder(ScoringSummary.LAG, () -> Double.NEGATIVE_INFINITY)
                .tags(Tags.of("client.id", "kafka-consumer-idle")).register(registry);
        ScoringSummary summary = new ScoringSummary(registry, clock::get);
        clock.addAndGet(60 * SECOND);
        assertEquals("SUMMARY 60s telemetry 0.00 ev/s, alerts 0, dead letters 0, lag 3", summary.next(),
                "a consumer that has not fetched yet (NaN) is left out");
        telemetryLag[0] = 12;
        clock.addAndGet(60 * SECOND);
        assertEquals("SUMMARY 60s telemetry 0.00 ev/s, alerts 0, dead letters 0, lag 12", summary.next());
    }
}
