package io.recon.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts, per event id, the outcomes written downstream: verdicts on {@code recon.verdicts}
 * and rejections on the dead-letter topic. At-least-once means every input id appears at
 * least once; duplicates (after a crash) are allowed and counted.
 */
public final class OutcomeLedger implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Integer> outcomes = new HashMap<>();
    private int records;

    /** A ledger reading the outcome topics from the beginning. */
    public OutcomeLedger(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ledger-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of("recon.verdicts", "telemetry.events.dlq"));
    }

    /** Reads until every id in {@code expected} has an outcome or the timeout passes; returns the missing. */
    public Set<String> awaitAll(Set<String> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> missing = new java.util.HashSet<>(expected);
        while (System.nanoTime() < deadline && !missing.isEmpty()) {
            poll(missing);
        }
        // A little longer, so duplicates written after the last first-outcome are counted too.
        long settle = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < settle) {
            poll(missing);
        }
        return missing;
    }

    private void poll(Set<String> missing) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
            records++;
            outcomes.merge(r.key(), 1, Integer::sum);
            missing.remove(r.key());
        }
    }

    /** Outcome records beyond the first for an id. */
    public int duplicates() {
        return outcomes.values().stream().mapToInt(n -> n - 1).sum();
    }

    /** All outcome records read. */
    public int records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
