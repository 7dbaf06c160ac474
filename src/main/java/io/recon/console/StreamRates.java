package io.recon.console;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.kafka.KafkaClients;

/**
 * Per-stream rates and the scorer's consumer lag as Kafka sees them, whichever processes write and
 * read: every few seconds the console reads each topic's end offsets (records written so far) and
 * the scorer groups' committed offsets (records done). Rates are averaged over a sliding window.
 */
@ApplicationScoped
public class StreamRates {

    private static final Logger LOG = Logger.getLogger(StreamRates.class);
    private static final long CALL_TIMEOUT_SECONDS = 5;

    /**
     * A rate as shown: what it counts, the topic it is read from, records per second over the window
     * and records so far.
     */
    public record StreamRate(String name, String topic, double perSecond, long total) {
    }

    /** The scorer's backlog on one input stream: records written but not yet committed by its group. */
    public record Lag(String stream, String topic, String group, long records) {
    }

    /** One reading for the console: rates over the window, lag now, and when it was read. */
    public record Snapshot(long readAt, int windowSeconds, List<StreamRate> rates, List<Lag> lag) {
    }

    private record Input(String stream, String topic, String group) {
    }

    @Inject
    ReconConfig config;

    @Inject
    KafkaClients clients;

    private final Map<String, String> namesByTopic = new LinkedHashMap<>();
    private final List<Input> inputs = new ArrayList<>();
    private volatile List<Lag> lag = List.of();
    private volatile long readAt;
    private RateWindow window;
    private Admin admin;
    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent event) {
        if (!config.roles().contains(Role.CONSOLE)) {
            return;
        }
        namesByTopic.put(config.topics().telemetryEvents(), "telemetry events");
        namesByTopic.put(config.topics().imagingEvents(), "imaging events");
        namesByTopic.put(config.topics().alerts(), "alerts");
        namesByTopic.put(config.topics().explanations(), "explanations");
        namesByTopic.put(config.topics().telemetryDlq(), "telemetry dead letters");
        namesByTopic.put(config.topics().imagingDlq(), "imaging dead letters");
        namesByTopic.put(config.topics().alertsDlq(), "alert dead letters");
        inputs.add(new Input("telemetry", config.topics().telemetryEvents(), scorerGroup("telemetry-events")));
        inputs.add(new Input("imaging", config.topics().imagingEvents(), scorerGroup("imaging-events")));
        window = new RateWindow(config.console().rateWindowSeconds() * 1000L);
        admin = Admin.create(clients.admin("recon-console-rates"));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "recon-console-rates");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.console().rateSampleSeconds());
        timer.scheduleWithFixedDelay(this::read, 0, every, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }

    /** The latest reading; empty rates until the second reading. */
    Snapshot snapshot() {
        if (window == null) {
            return new Snapshot(0, 0, List.of(), List.of());
        }
        Map<String, Double> perSecond = window.perSecond();
        Map<String, Long> totals = window.latest();
        List<StreamRate> rates = new ArrayList<>();
        namesByTopic.forEach((topic, name) -> rates.add(new StreamRate(name, topic,
                perSecond.getOrDefault(topic, 0.0), totals.getOrDefault(topic, 0L))));
        return new Snapshot(readAt, config.console().rateWindowSeconds(), rates, lag);
    }

    private void read() {
        try {
            Map<TopicPartition, Long> ends = endOffsets();
            Map<String, Long> totals = new HashMap<>();
            ends.forEach((tp, end) -> totals.merge(tp.topic(), end, Long::sum));
            long now = System.currentTimeMillis();
            window.add(now, totals);
            List<Lag> lags = new ArrayList<>();
            for (Input input : inputs) {
                lags.add(new Lag(input.stream(), input.topic(), input.group(), lag(input, ends)));
            }
            lag = lags;
            readAt = now;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debugf("Console could not read offsets this time: %s", e.toString());
        }
    }

    /** Every existing partition's end offset; topics not made yet are left out. */
    private Map<TopicPartition, Long> endOffsets() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> d : admin.describeTopics(namesByTopic.keySet())
                .topicNameValues().entrySet()) {
            try {
                d.getValue().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).partitions()
                        .forEach(p -> latest.put(new TopicPartition(d.getKey(), p.partition()), OffsetSpec.latest()));
            } catch (ExecutionException e) {
                // not created yet (its first writer creates it): no records, no rate
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : admin.listOffsets(latest).all()
                .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }

    /** Records of the input topic past the group's committed offsets (all of a partition it never committed). */
    private long lag(Input input, Map<TopicPartition, Long> ends)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(input.group())
                .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (e.getKey().topic().equals(input.topic())) {
                OffsetAndMetadata done = committed.get(e.getKey());
                behind += Math.max(0, e.getValue() - (done == null ? 0 : done.offset()));
            }
        }
        return behind;
    }

    private static String scorerGroup(String channel) {
        return ConfigProvider.getConfig().getOptionalValue("mp.messaging.incoming." + channel + ".group.id",
                String.class).orElse("recon-scorer");
    }
}
