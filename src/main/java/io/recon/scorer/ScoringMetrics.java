package io.recon.scorer;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Recon's own Prometheus metrics, one place for their names (they are the names the Grafana
 * dashboard and the alert rules use): events received, scored, alerted, dead-lettered, per-batch
 * scoring time, event-to-verdict latency, batch size, and the C heap libtorch allocates from.
 */
@ApplicationScoped
public class ScoringMetrics {

    private final MeterRegistry registry;

    @Inject
    ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        if (NativeHeap.isAvailable()) {
            // libtorch's tensors live in the C heap, out of the JVM's own memory metrics.
            Gauge.builder("recon.native.heap.in.use", () -> NativeHeap.inUseBytes().orElse(0))
                    .description("Bytes in live C-heap allocations (glibc mallinfo2), where libtorch keeps tensors")
                    .baseUnit("bytes").register(registry);
        }
    }

    /**
     * Records one batch through a model: events received, batch size, scoring time and the events
     * that got a verdict.
     *
     * @param stream stream tag
     * @param size   events in the batch
     * @param model  name of the model that scores it
     * @param work   the scoring
     * @return the outcomes of {@code work}
     */
    public List<Outcome> timed(String stream, int size, String model, Supplier<List<Outcome>> work) {
        received(stream, size);
        batchSize(stream, size);
        return scoredBy(stream, model, work);
    }

    /**
     * Records the scoring time of {@code work} and the events it scored with {@code model} (a
     * batch split between models calls this once per model).
     */
    public List<Outcome> scoredBy(String stream, String model, Supplier<List<Outcome>> work) {
        long started = System.nanoTime();
        List<Outcome> outcomes = work.get();
        scoringTime(stream, Duration.ofNanos(System.nanoTime() - started));
        int scored = 0;
        for (Outcome o : outcomes) {
            if (!o.isRejected()) {
                scored++;
            }
        }
        scored(stream, model, scored);
        return outcomes;
    }

    /** Events taken from the input topic (or the REST API). */
    public void received(String stream, int count) {
        Counter.builder("recon.events.received").description("Events received for scoring")
                .tag("stream", stream).register(registry).increment(count);
    }

    /** Events that got a verdict. */
    public void scored(String stream, String model, int count) {
        Counter.builder("recon.events.scored").description("Events scored by a model")
                .tag("stream", stream).tag("model", model).register(registry).increment(count);
    }

    /** An alert published. */
    public void alert(String stream, String model, String severity) {
        Counter.builder("recon.alerts").description("Alerts raised")
                .tag("stream", stream).tag("model", model).tag("severity", severity).register(registry).increment();
    }

    /** An event sent to the dead-letter topic. */
    public void deadLettered(String stream, String reason) {
        Counter.builder("recon.events.dead.lettered").description("Events rejected to the dead-letter topic")
                .tag("stream", stream).tag("reason", reason).register(registry).increment();
    }

    /** Time of one batch through the model (decode, encode, VAE). */
    public void scoringTime(String stream, Duration duration) {
        Timer.builder("recon.scoring").description("Time to score one batch")
                .tag("stream", stream).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry).record(duration);
    }

    /**
     * From each event's Kafka timestamp to its verdict being written, for one batch (the timer
     * is looked up once per batch: per event, the lookup cost more than the recording).
     *
     * @param stream          stream tag
     * @param writtenAt       when the batch's writes were acknowledged (epoch ms)
     * @param eventTimestamps the events' Kafka timestamps (epoch ms)
     */
    public void eventLatencies(String stream, long writtenAt, long[] eventTimestamps) {
        Timer timer = Timer.builder("recon.event.latency").description("Event timestamp to verdict written")
                .tag("stream", stream).publishPercentileHistogram()
                // An exact bucket at the 50 ms latency objective, for the alert rule.
                .serviceLevelObjectives(Duration.ofMillis(50))
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        for (long ts : eventTimestamps) {
            timer.record(Duration.ofMillis(Math.max(0, writtenAt - ts)));
        }
    }

    /** Events per scoring batch. */
    public void batchSize(String stream, int size) {
        DistributionSummary.builder("recon.scoring.batch.size").description("Events per scoring batch")
                .tag("stream", stream).publishPercentileHistogram().minimumExpectedValue(1.0)
                .maximumExpectedValue(4096.0).register(registry).record(size);
    }
}
