package io.recon.explainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.bundle.ExplainerBundle;
import io.recon.bundle.ImageExplainerBundle;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;
import io.recon.config.ReconConfig;
import io.recon.config.Role;
import io.recon.event.InvalidEventException;
import io.recon.feature.FeatureEncoder;
import io.recon.kafka.DeadLetterRecords;
import io.recon.kafka.KafkaClients;
import io.recon.kafka.OutcomeProducer;
import io.recon.nn.DeviceSelector;

/**
 * The {@code explainer} role: reads {@code recon.alerts}, explains each telemetry alert with the
 * explainer bundle of its scoring model, and writes the explanation to {@code recon.explanations}
 * keyed by the event id; an alert it cannot read, or one of a model it has no explainer for, goes to
 * {@code recon.alerts.dlq} with the reason. Offsets are committed only after every write of a poll
 * is acknowledged: at-least-once, nothing lost (a failed write rewinds to the poll's first offsets).
 */
@ApplicationScoped
public class ExplainerRole {

    private static final Logger LOG = Logger.getLogger(ExplainerRole.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    @Inject
    ReconConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    KafkaClients clients;

    @Inject
    OutcomeProducer producer;

    @Inject
    ExplanationStore store;

    @Inject
    MeterRegistry registry;

    private final List<AutoCloseable> bundles = new ArrayList<>();
    private final Set<String> noExplainerLogged = ConcurrentHashMap.newKeySet();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread loop;
    private volatile String failure;
    private volatile boolean warmingUp;
    private volatile boolean stopping;
    private ExplainerWarmUp warmUp;
    private AlertExplainer explainer;
    private AlertReader reader;
    private DeadLetterRecords deadLetters;
    private Timer explainTime;
    private Timer latency;
    private Counter explained;

    void onStart(@Observes StartupEvent event) {
        if (!config.roles().contains(Role.EXPLAINER)) {
            return;
        }
        Map<String, ExplainerBundle> byModel = new LinkedHashMap<>();
        Map<String, VaeCauses> vaeCauses = new LinkedHashMap<>();
        Map<String, ImageAlertExplainer> byImageModel = new LinkedHashMap<>();
        Device device = DeviceSelector.forService(config.device(), config.scoring().torchThreads());
        for (String name : config.models().explainers()) {
            Path dir = Path.of(config.models().dir(), name);
            if (ImageExplainerBundle.KIND.equals(ImageExplainerBundle.kindOf(dir, mapper))) {
                ImageAlertExplainer images = loadImageExplainer(dir, device);
                byImageModel.put(images.bundle().manifest().explains().model(), images);
                continue;
            }
            ExplainerBundle bundle = ExplainerBundle.load(dir, device, mapper);
            bundles.add(bundle);
            String model = bundle.manifest().explains().model();
            byModel.put(model, bundle);
            VaeCauses causes = vaeCauses(model, bundle, device);
            if (causes != null) {
                vaeCauses.put(model, causes);
            }
            LOG.infof("Explainer %s %s explains alerts of %s (%s)", name, bundle.manifest().version(), model,
                    causes != null ? AlertExplainer.METHOD : AlertExplainer.SURPRISE_ONLY);
        }
        explainer = new AlertExplainer(byModel, vaeCauses, byImageModel, Clock.systemUTC());
        Map<String, FeatureEncoder> encoders = new LinkedHashMap<>();
        byModel.forEach((model, bundle) -> encoders.put(model, bundle.encoder()));
        warmUp = new ExplainerWarmUp(explainer, encoders, mapper);
        warmingUp = config.explainer().warmUpAlerts() > 0 && !encoders.isEmpty();
        reader = new AlertReader(mapper);
        deadLetters = new DeadLetterRecords(producer.maxRequestSize() / 2);
        explainTime = Timer.builder("recon.explanation").description("Time to explain one poll of alerts")
                .register(registry);
        explained = Counter.builder("recon.explanations").description("Alerts explained").register(registry);
        // What an analyst waits: from the alert's write to its explanation's; an exact bucket at
        // the 50 ms objective for the alert rule, as for the scorer's recon.event.latency.
        latency = Timer.builder("recon.explanation.latency").description("Alert written to explanation written")
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(50))
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        Map<String, Object> p = clients.consumer("recon-explainer", "recon-explainer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.explainer().maxPollRecords());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        store.startServing();
        Thread thread = new Thread(this::run, "recon-explainer");
        thread.setDaemon(true);
        loop = thread;
        thread.start();
    }

    /**
     * What the VAE a tabular explainer explains says of each feature, which ranks its causes; null
     * (ranking by the surprise alone, with a warning) where that bundle is missing or encodes
     * features differently from the explainer.
     */
    private VaeCauses vaeCauses(String model, ExplainerBundle explainer, Device device) {
        Path dir = Path.of(config.models().dir(), model);
        if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE))) {
            LOG.warnf("Explainer of %s: no bundle %s, so its causes are ranked by surprise alone", model, dir);
            return null;
        }
        ModelBundle vae = ModelBundle.load(dir, device, mapper);
        bundles.add(vae);
        if (!vae.encoder().specs().equals(explainer.encoder().specs())) {
            LOG.warnf("Explainer of %s: the bundle in %s encodes its features differently from the explainer, so "
                    + "its causes are ranked by surprise alone (rebuild the explainer with train-explainer)", model,
                    dir);
            return null;
        }
        return VaeCauses.of(vae);
    }

    /** An image explainer with the image VAE it explains (its reconstruction is half of the map). */
    private ImageAlertExplainer loadImageExplainer(Path dir, Device device) {
        ImageExplainerBundle bundle = ImageExplainerBundle.load(dir, device, mapper);
        bundles.add(bundle);
        String model = bundle.manifest().explains().model();
        ImageModelBundle vae = ImageModelBundle.load(Path.of(config.models().dir(), model), device, mapper);
        bundles.add(vae);
        LOG.infof("Explainer %s %s explains image alerts of %s", dir.getFileName(), bundle.manifest().version(),
                model);
        return new ImageAlertExplainer(bundle, vae);
    }

    /** Whether this process runs the role and its loop is reading alerts (for the health check). */
    public boolean isRunning() {
        Thread t = loop;
        return t != null && t.isAlive() && failure == null;
    }

    /** Whether the role is still explaining synthetic alerts at start and reads no real ones yet. */
    public boolean isWarmingUp() {
        return warmingUp;
    }

    /** Why the loop stopped, if it stopped on an error; empty while it runs or where the role is off. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = consumer) {
            warmUp();
            // Subscribing only now keeps a rolling update's old pod reading until this one is warm.
            c.subscribe(List.of(config.topics().alerts()));
            while (!Thread.currentThread().isInterrupted()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    handle(records);
                    // Every write of this poll is acknowledged; a commit lost here only means these
                    // alerts are explained again (explanations are keyed by event id), so it need not
                    // hold up the next poll.
                    c.commitAsync(nextOffsets(records), (offsets, e) -> {
                        if (e != null) {
                            LOG.warnf("Committing explained alerts failed (%s); they may be explained again",
                                    e.toString());
                        }
                    });
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Explaining %d alerts failed; reading them again", records.count());
                    rewind(c, records);
                    Thread.sleep(RETRY_AFTER_FAILURE.toMillis());
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.error("Explainer stopped", e);
        } finally {
            for (AutoCloseable b : bundles) {
                try {
                    b.close();
                } catch (Exception e) {
                    LOG.warnf("Closing %s failed: %s", b, e.toString());
                }
            }
        }
    }

    private void warmUp() {
        if (!warmingUp) {
            return;
        }
        try {
            ExplainerWarmUp.Done done = warmUp.run(config.explainer().warmUpAlerts(), config.explainer().warmUpLimit(),
                    () -> stopping);
            LOG.infof("Explainer warmed up on %d synthetic alerts in %.1f s; reading %s", done.alerts(),
                    done.took().toMillis() / 1000.0, config.topics().alerts());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Explainer warm-up failed; reading %s without it", config.topics().alerts());
        } finally {
            warmingUp = false;
        }
    }

    /** Explains one poll and waits until every explanation and dead letter is written. */
    void handle(ConsumerRecords<String, byte[]> records) {
        List<ExplainableAlert> alerts = new ArrayList<>();
        List<Long> alertWrittenAt = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                ExplainableAlert alert = reader.read(r.value());
                rows.add(explainer.encode(alert));
                alerts.add(alert);
                alertWrittenAt.add(r.timestamp());
            } catch (InvalidEventException e) {
                writes.add(deadLetter(r, e));
            }
        }
        if (!alerts.isEmpty()) {
            List<Explanation> explanations = explainTime.record(() -> explainer.explain(alerts, rows));
            for (Explanation e : explanations) {
                byte[] json = e.toJson(mapper);
                writes.add(producer.send(new ProducerRecord<>(config.topics().explanations(), e.eventId(), json))
                        .thenRun(() -> store.put(e.eventId(), json)));
            }
            explained.increment(explanations.size());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        long writtenAt = System.currentTimeMillis();
        for (long at : alertWrittenAt) {
            latency.record(Duration.ofMillis(Math.max(0, writtenAt - at)));
        }
    }

    private CompletableFuture<?> deadLetter(ConsumerRecord<String, byte[]> r, InvalidEventException e) {
        registry.counter("recon.explanations.dead.lettered", "reason", e.reason()).increment();
        // A model without an explainer (the Fashion-MNIST one, whose alerts the replay role brings
        // every few seconds) is a setting, not a fault: said once per model, then only counted.
        if (!"no_explainer".equals(e.reason()) || noExplainerLogged.add(e.getMessage())) {
            LOG.warnf("Alert at %s-%d@%d to %s: %s (%s)%s", r.topic(), r.partition(), r.offset(),
                    config.topics().alertsDlq(), e.reason(), e.getMessage(), "no_explainer".equals(e.reason())
                            ? "; further alerts of this model go there without a log line" : "");
        } else {
            LOG.debugf("Alert at %s-%d@%d to %s: %s", r.topic(), r.partition(), r.offset(),
                    config.topics().alertsDlq(), e.reason());
        }
        return producer.send(deadLetters.of(config.topics().alertsDlq(), r, e));
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> in = records.records(tp);
            next.put(tp, new OffsetAndMetadata(in.get(in.size() - 1).offset() + 1));
        }
        return next;
    }

    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            c.seek(tp, records.records(tp).get(0).offset());
        }
    }
}
