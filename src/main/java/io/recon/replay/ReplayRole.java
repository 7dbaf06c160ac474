package io.recon.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.kafka.KafkaClients;
import io.recon.data.Table;
import io.recon.data.TabularReader;

/**
 * The {@code replay} role: streams real recorded flows into {@code telemetry.events} at a
 * steady rate, like an exporter would, so a fresh install has real traffic to score. It is a
 * Kafka producer like any other; the scorer cannot tell it from a real sensor.
 */
@ApplicationScoped
public class ReplayRole {

    private static final Logger LOG = Logger.getLogger(ReplayRole.class);

    @Inject
    ReconConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    KafkaClients clients;

    private volatile boolean running;
    private Thread thread;
    private Thread imageThread;

    void onStart(@Observes StartupEvent event) {
        if (!config.roles().contains(Role.REPLAY)) {
            return;
        }
        Path file = Path.of(config.replay().file());
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("replay role: no recorded flows at " + file.toAbsolutePath()
                    + " (set recon.replay.file)");
        }
        Table table = TabularReader.read(file);
        FlowEventFactory events = new FlowEventFactory(mapper, table, "replay:" + file.getFileName());
        int[] order = ReplayOrder.of(table, config.replay().attackShare(), 42);
        running = true;
        thread = new Thread(() -> run(events, order), "recon-replay");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("Replaying %,d recorded flows from %s into %s at %d events/s (attack share %.0f%%)", order.length,
                file, config.topics().telemetryEvents(), config.replay().rate(), 100 * Math.max(0, config.replay().attackShare()));
        startImages();
    }

    /** The image side: the sample folder's images into imaging.events, one every image-interval. */
    private void startImages() {
        Duration interval = config.replay().imageInterval();
        if (interval.isZero() || interval.isNegative()) {
            LOG.info("Image replay off (recon.replay.image-interval=0)");
            return;
        }
        Path dir = Path.of(config.replay().images());
        List<ImageReplay.Sample> samples;
        try {
            samples = ImageReplay.load(dir, 42);
        } catch (RuntimeException e) {
            LOG.warnf("Image replay off: cannot read the sample images in %s (%s); replaying flows only",
                    dir.toAbsolutePath(), e.getMessage());
            return;
        }
        if (samples.isEmpty()) {
            LOG.warnf("Image replay off: no sample images (*.png, *.dcm) in %s (set recon.replay.images); "
                    + "replaying flows only", dir.toAbsolutePath());
            return;
        }
        Path parent = dir.toAbsolutePath().normalize().getParent();
        ImageReplay images = new ImageReplay(mapper, samples, "replay:"
                + (parent != null && parent.getFileName() != null ? parent.getFileName() + "/" : "") + dir.getFileName());
        imageThread = new Thread(() -> runImages(images, interval), "recon-replay-images");
        imageThread.setDaemon(true);
        imageThread.start();
        long dicom = samples.stream().filter(s -> s.encoding().equals("dicom")).count();
        LOG.infof("Replaying %d sample images (%d PNG, %d DICOM) from %s into %s, one every %s", samples.size(),
                samples.size() - dicom, dicom, dir, config.topics().imagingEvents(),
                interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms");
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        if (imageThread != null) {
            imageThread.interrupt();
        }
    }

    private void run(FlowEventFactory events, int[] order) {
        Map<String, Object> p = stringProducer("recon-replay");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        String topic = config.topics().telemetryEvents();
        int rate = Math.max(1, config.replay().rate());
        int malformedEvery = config.replay().malformedEvery();
        long sent = 0;
        boolean[] repeated = new boolean[order.length];
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < order.length; k++) {
            repeated[k] = !seen.add(order[k]);
        }
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            int pass = 1;
            while (running) {
                for (int k = 0; k < order.length && running; k++) {
                    int i = order[k];
                    // An attack row can come round more than once a pass: later uses get their own id.
                    String id = events.id(i, pass) + (repeated[k] ? "@" + k : "");
                    String value = malformedEvery > 0 && (sent + 1) % malformedEvery == 0
                            ? "{\"id\": \"" + id + "\", \"ts\": \"not a time\"" // deliberately broken
                            : events.event(i, pass, System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(topic, id, value));
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

    private void runImages(ImageReplay images, Duration interval) {
        Map<String, Object> p = stringProducer("recon-replay-images");
        String topic = config.topics().imagingEvents();
        long sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            int pass = 1;
            while (running) {
                for (int i = 0; i < images.size() && running; i++) {
                    producer.send(new ProducerRecord<>(topic, images.id(i, pass),
                            images.event(i, pass, System.currentTimeMillis())));
                    sent++;
                    Thread.sleep(interval.toMillis(), interval.toNanosPart() % 1_000_000);
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
            LOG.error("Image replay stopped", e);
        }
        LOG.infof("Image replay finished: %,d image events sent", sent);
    }

    /** Producer settings with string keys and values (JSON events keyed by their id). */
    private Map<String, Object> stringProducer(String clientId) {
        Map<String, Object> p = clients.producer(clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }
}
