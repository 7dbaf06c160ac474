package io.recon.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.data.TabularReader;

/**
 * The {@code replay} role: streams real recorded flows into {@code telemetry.events} at a
 * steady rate, like an exporter would, so a fresh install has real traffic to score. It is a
 * Kafka producer like any other; the scorer cannot tell it from a real sensor.
 */
@ApplicationScoped
public class ReplayRole {

    private static final Logger LOG = Logger.getLogger(ReplayRole.class);
    static final String TOPIC = "telemetry.events";

    @Inject
    ReconConfig config;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private volatile boolean running;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        if (!config.roles().contains("replay")) {
            return;
        }
        Path file = Path.of(config.replay().file());
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("replay role: no recorded flows at " + file.toAbsolutePath()
                    + " (set recon.replay.file)");
        }
        FlowEventFactory events = new FlowEventFactory(mapper, TabularReader.read(file), "replay:" + file.getFileName());
        running = true;
        thread = new Thread(() -> run(events), "recon-replay");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Replaying %,d recorded flows from %s into %s at %d events/s", events.size(), file, TOPIC,
                config.replay().rate());
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run(FlowEventFactory events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "recon-replay");
        int rate = Math.max(1, config.replay().rate());
        int malformedEvery = config.replay().malformedEvery();
        long sent = 0;
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            int pass = 1;
            while (running) {
                for (int i = 0; i < events.size() && running; i++) {
                    String id = events.id(i, pass);
                    String value = malformedEvery > 0 && (sent + 1) % malformedEvery == 0
                            ? "{\"id\": \"" + id + "\", \"ts\": \"not a time\"" // deliberately broken
                            : events.event(i, pass, System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(TOPIC, id, value));
                    sent++;
                    // Pace to the configured rate: sleep until this event's slot comes.
                    long due = started + sent * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                if (!config.replay().loop()) {
                    break;
                }
                pass++;
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Replay stopped", e);
        }
        LOG.infof("Replay finished: %,d events sent", sent);
    }
}
