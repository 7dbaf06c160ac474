package io.recon.console;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.kafka.KafkaClients;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The console role's reader: follows {@code recon.alerts}, {@code recon.explanations} and the
 * dead-letter topics like any downstream consumer (a group of its own per process, nothing
 * committed), keeps the recent ones for the pages and pushes each new one to the live stream. At
 * start it reads back each partition's last few records, so a restarted console is not empty.
 */
@ApplicationScoped
public class ConsoleFeed {

    private static final Logger LOG = Logger.getLogger(ConsoleFeed.class);
    private static final Duration PING_EVERY = Duration.ofSeconds(15);

    @Inject
    ReconConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    KafkaClients clients;

    private final BroadcastProcessor<ConsoleUpdate> live = BroadcastProcessor.create();
    private final Deque<DeadLetter> deadLetters = new ArrayDeque<>();
    private RecentAlerts alerts;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;

    void onStart(@Observes StartupEvent event) {
        if (!config.roles().contains(Role.CONSOLE)) {
            return;
        }
        alerts = new RecentAlerts(config.console().alertCapacity(), config.console().alertMaxBytes());
        // A group of its own: every console process sees every alert, and a restart reads the tail again.
        Map<String, Object> p = clients.consumer("recon-console", "recon-console-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Topics appear as their first writer creates them: look for them every few seconds, not 5 min.
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        running = true;
        Thread thread = new Thread(this::run, "recon-console");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        live.onComplete();
    }

    /** Whether this process runs the console role. */
    public boolean serving() {
        return alerts != null;
    }

    /** New alerts, explanations and dead letters as they are read, with a ping every 15 s. */
    Multi<ConsoleUpdate> updates() {
        Multi<ConsoleUpdate> pings = Multi.createFrom().ticks().every(PING_EVERY).map(t -> ConsoleUpdate.ping());
        // A slow browser loses updates (it can reload the list) rather than holding the reader back.
        return Multi.createBy().merging().streams(live.onOverflow().drop(), pings);
    }

    RecentAlerts alerts() {
        return alerts;
    }

    /** The most recent dead letters, newest first. */
    List<DeadLetter> deadLetters(int limit) {
        synchronized (deadLetters) {
            return deadLetters.stream().limit(limit).toList();
        }
    }

    private void run() {
        String alertsTopic = config.topics().alerts();
        String explanationsTopic = config.topics().explanations();
        List<String> topics = List.of(alertsTopic, explanationsTopic, config.topics().telemetryDlq(),
                config.topics().imagingDlq(), config.topics().alertsDlq());
        try (KafkaConsumer<String, byte[]> c = consumer) {
            c.subscribe(topics, new ReadTheTail(c, config.console().backfillPerPartition()));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
                    if (r.topic().equals(alertsTopic)) {
                        onAlert(r);
                    } else if (r.topic().equals(explanationsTopic)) {
                        onExplanation(r);
                    } else {
                        onDeadLetter(r);
                    }
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.error("Console reader stopped: the console no longer updates", e);
        }
    }

    private void onAlert(ConsumerRecord<String, byte[]> r) {
        Optional<JsonNode> json = parse(r);
        if (json.isEmpty()) {
            return;
        }
        try {
            live.onNext(ConsoleUpdate.alert(alerts.addAlert(AlertSummary.of(json.get()), r.value())));
        } catch (IllegalArgumentException e) {
            LOG.warnf("Console skips record %s-%d@%d of %s: %s", r.topic(), r.partition(), r.offset(), r.topic(),
                    e.getMessage());
        }
    }

    private void onExplanation(ConsumerRecord<String, byte[]> r) {
        Optional<JsonNode> json = parse(r);
        String id = json.map(j -> j.path("eventId").asText("")).orElse("");
        if (!id.isEmpty()) {
            alerts.addExplanation(id, json.get().path("sentence").asText(""), r.value())
                    .ifPresent(explained -> live.onNext(ConsoleUpdate.explained(explained)));
        }
    }

    private void onDeadLetter(ConsumerRecord<String, byte[]> r) {
        DeadLetter d = DeadLetterReader.read(r);
        synchronized (deadLetters) {
            deadLetters.addFirst(d);
            while (deadLetters.size() > Math.max(1, config.console().deadLetterCapacity())) {
                deadLetters.removeLast();
            }
        }
        live.onNext(ConsoleUpdate.deadLetter(d));
    }

    /**
     * The record as JSON; a record that is not JSON is logged and skipped (the scorer and explainer
     * write only JSON here: anything else came from another writer and is theirs to explain).
     */
    private Optional<JsonNode> parse(ConsumerRecord<String, byte[]> r) {
        try {
            return Optional.of(mapper.readTree(r.value()));
        } catch (Exception e) {
            LOG.warnf("Console skips record %d@%d of %s: not JSON", r.partition(), r.offset(), r.topic());
            return Optional.empty();
        }
    }

    /** On each assignment, starts every partition its last {@code backfill} records before the end. */
    private record ReadTheTail(KafkaConsumer<String, byte[]> consumer, int backfill)
            implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<TopicPartition> ordered = new ArrayList<>(partitions);
            for (TopicPartition tp : ordered) {
                consumer.seek(tp, Math.max(begin.getOrDefault(tp, 0L), end.getOrDefault(tp, 0L) - backfill));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing committed: nothing to do
        }
    }
}
