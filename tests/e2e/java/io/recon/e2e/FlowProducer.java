package io.recon.e2e;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;

/**
 * Produces real recorded flows (and, every {@code malformedEvery} events, a broken one) at a
 * steady rate on its own thread, with an idempotent producer that rides out broker restarts.
 * Remembers the ids the broker acknowledged: those are the events that must come out.
 */
public final class FlowProducer implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final FlowEventFactory events;
    private final String topic;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failed = new AtomicInteger();
    private Thread thread;

    /** A producer of the flows in {@code flowsFile} to {@code topic}. */
    public FlowProducer(String bootstrap, String topic, Path flowsFile) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(p);
        this.events = new FlowEventFactory(new ObjectMapper(), TabularReader.read(flowsFile), "delivery-test");
        this.topic = topic;
    }

    /** Starts producing {@code count} events at {@code rate} per second in the background. */
    public FlowProducer startProducing(String idPrefix, int count, int rate, int malformedEvery) {
        thread = new Thread(() -> {
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String id = idPrefix + i;
                String value = malformedEvery > 0 && i % malformedEvery == malformedEvery - 1
                        ? "{\"id\":\"" + id + "\",\"ts\":" // truncated JSON
                        : events.event(i % events.size(), 1, System.currentTimeMillis()).replaceFirst(
                                "\"id\":\"[^\"]*\"", "\"id\":\"" + id + "\"");
                producer.send(new ProducerRecord<>(topic, id, value), (meta, error) -> {
                    if (error == null) {
                        acknowledged.add(id);
                    } else {
                        failed.incrementAndGet();
                    }
                });
                long due = started + (i + 1L) * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    try {
                        Thread.sleep(wait / 1_000_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            producer.flush();
        }, "flow-producer");
        thread.start();
        return this;
    }

    /** Waits for the producing thread to finish and every send to complete. */
    public void awaitDone() throws InterruptedException {
        thread.join();
        producer.flush();
    }

    /** Ids the broker acknowledged. */
    public Set<String> acknowledged() {
        return acknowledged;
    }

    /** Sends that failed for good (the test's problem, not the scorer's). */
    public int failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
