package io.recon.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.recon.bundle.GeneratorBundle;
import io.recon.bundle.ImageGeneratorBundle;
import io.recon.config.ReconConfig;
import io.recon.data.FeatureRows;
import io.recon.kafka.KafkaClients;

/**
 * Serves synthetic-data requests for the generators the {@code gan} and {@code diffusion} roles
 * registered: checks a request against the limits, then generates its rows in chunks and publishes
 * them to the synthetic topic at the asked rate, on a thread of its own. Idle (no thread, no
 * producer) until asked.
 */
@ApplicationScoped
public class SyntheticService {

    private static final Logger LOG = Logger.getLogger(SyntheticService.class);
    /** Rows generated per model call: a second's worth at most, so a stopped request stops soon. */
    private static final int CHUNK = 500;
    /** Images generated per model call: a diffusion model's chunk takes seconds on a CPU. */
    private static final int IMAGE_CHUNK = 16;
    /** Requests whose status is kept for {@code GET}; the oldest finished ones go first. */
    private static final int KEPT = 1000;

    @Inject
    ReconConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    KafkaClients clients;

    @Inject
    MeterRegistry metrics;

    private final Map<String, GeneratorSource> sources = new ConcurrentHashMap<>();
    private final Map<String, RequestStatus> requests = new ConcurrentHashMap<>();
    private RequestLimits limits;
    private ExecutorService publishers;
    private volatile boolean running = true;

    @PostConstruct
    void init() {
        ReconConfig.Synthetic s = config.synthetic();
        limits = new RequestLimits(s.maxCount(), s.maxRate(), s.defaultRate(), s.maxActiveRequests(),
                s.maxRequestsPerMinute());
        publishers = Executors.newFixedThreadPool(Math.max(1, s.maxActiveRequests()), r -> {
            Thread t = new Thread(r, "recon-synthetic");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // the scorer comes first on a shared machine
            return t;
        });
    }

    /**
     * Loads the flow-record generator bundle {@code bundle} (under {@code recon.models.dir}), which
     * must hold a model of kind {@code kind}, and serves it: what the {@code gan} and {@code diffusion}
     * roles do at start.
     */
    public void serveBundle(String bundle, String kind) {
        java.nio.file.Path dir = java.nio.file.Path.of(config.models().dir(), bundle);
        GeneratorBundle.Opened opened = GeneratorBundle.open(dir, kind, mapper);
        register(GeneratorSource.ofRows(kind, opened.manifest().version(), dir.toString(), opened.generator()));
    }

    /** As {@link #serveBundle} for an image generator bundle, whose images go to the imaging topic. */
    public void serveImageBundle(String bundle, String kind) {
        java.nio.file.Path dir = java.nio.file.Path.of(config.models().dir(), bundle);
        ImageGeneratorBundle.Opened opened = ImageGeneratorBundle.open(dir, kind, mapper);
        ImageGeneratorBundle.Manifest m = opened.manifest();
        register(GeneratorSource.ofImages(kind, m.version(), dir.toString(), opened.generator(), m.imageClass(),
                m.modality()));
    }

    /** Makes a loaded generator available to requests under its name. */
    public void register(GeneratorSource source) {
        if (sources.putIfAbsent(source.name(), source) != null) {
            source.close();
            throw new IllegalStateException("a generator named '" + source.name() + "' is already registered");
        }
        LOG.infof("Synthetic data: %s %s from %s ready for requests (classes %s), publishing to %s",
                source.name(), source.version(), source.bundle(), source.classes(), topicOf(source));
    }

    /** The generators this process serves. */
    public List<GeneratorSource> generators() {
        return new ArrayList<>(sources.values());
    }

    /**
     * Accepts a request and starts publishing it.
     *
     * @throws RequestRefusedException 404 for a generator this process does not run, 400 for a bad
     *                                 request, 429 when the limits say no for now
     */
    public RequestStatus submit(String generator, SyntheticRequest request) {
        GeneratorSource source = source(generator);
        String modality = request.modality() == null ? source.publishes() : request.modality();
        if (!SyntheticRequest.TELEMETRY.equals(modality) && !SyntheticRequest.IMAGING.equals(modality)) {
            throw RequestRefusedException.invalid("unknown_modality", "modality '" + modality + "' is neither "
                    + SyntheticRequest.TELEMETRY + " nor " + SyntheticRequest.IMAGING);
        }
        if (!modality.equals(source.publishes())) {
            throw RequestRefusedException.invalid("modality_not_served", generator + " generates "
                    + (source.rows() != null ? "flow records" : "images") + ", not " + modality + "; generators "
                    + "of " + modality + " here: " + sources.values().stream()
                            .filter(s -> s.publishes().equals(modality)).map(GeneratorSource::name).toList());
        }
        String cls = request.cls() == null && source.images() != null ? source.imageClass() : request.cls();
        List<String> classes = source.classes();
        if (cls == null || !classes.contains(cls)) {
            throw RequestRefusedException.invalid(cls == null ? "class_missing" : "unknown_class",
                    (cls == null ? "say which class: \"class\"" : "class '" + cls
                            + "' was not trained on") + "; " + generator + " knows " + classes);
        }
        int count = limits.count(request);
        int rate = limits.rate(request);
        limits.admit(System.nanoTime());
        String id = UUID.randomUUID().toString().substring(0, 8);
        long seed = request.seed() != null ? request.seed() : id.hashCode();
        RequestStatus status = new RequestStatus(id, source, cls, topicOf(source), count, rate, seed);
        forgetOldRequests();
        requests.put(id, status);
        try {
            publishers.execute(() -> publish(source, status));
        } catch (RuntimeException e) {
            limits.release();
            throw e;
        }
        LOG.infof("Synthetic request %s: %,d %s events of class %s at %d/s (seed %d) to %s", id, count,
                source.name(), cls, rate, seed, status.getTopic());
        return status;
    }

    /** A request's status. */
    public RequestStatus status(String generator, String id) {
        source(generator);
        RequestStatus status = requests.get(id);
        if (status == null || !status.getGenerator().equals(generator)) {
            throw RequestRefusedException.notFound("unknown_request", "no request " + id + " of " + generator
                    + " in this process");
        }
        return status;
    }

    private GeneratorSource source(String generator) {
        GeneratorSource source = sources.get(generator);
        if (source == null) {
            throw RequestRefusedException.notFound("generator_not_running", "no generator '" + generator
                    + "' runs in this process; running: " + sources.keySet() + " (the gan and diffusion roles "
                    + "in recon.roles start them)");
        }
        return source;
    }

    private void publish(GeneratorSource source, RequestStatus status) {
        Map<String, Object> p = clients.producer("recon-synthetic-" + source.name() + "-" + status.getId());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        SyntheticEventFactory factory = new SyntheticEventFactory(mapper);
        var counter = io.micrometer.core.instrument.Counter.builder("recon.synthetic.events")
                .description("synthetic events published to Kafka, by generator").tag("generator", source.name())
                .register(metrics);
        long started = System.nanoTime();
        int sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int chunk = 0; sent < status.getCount() && running; chunk++) {
                int n = Math.min(source.rows() != null ? CHUNK : IMAGE_CHUNK, status.getCount() - sent);
                EventChunk events = sample(source, status, sent, n, chunk, factory);
                for (int r = 0; r < n && running; r++) {
                    sent++;
                    String id = SyntheticEventFactory.id(status, sent);
                    String event = events.event(r, System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(status.getTopic(), id, event), (meta, error) -> {
                                if (error == null) {
                                    status.onePublished();
                                    counter.increment();
                                } else {
                                    status.fail("publishing to " + status.getTopic() + " failed: " + error);
                                }
                            });
                    pace(started, sent, status.getRate());
                }
            }
            producer.flush();
            if (status.getState() == RequestStatus.State.RUNNING) {
                if (sent == status.getCount()) {
                    status.finish();
                } else {
                    status.fail("stopped at shutdown after " + sent + " events");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.fail("interrupted after " + sent + " events");
        } catch (RuntimeException e) {
            LOG.errorf(e, "Synthetic request %s failed", status.getId());
            status.fail(e.getMessage());
        } finally {
            limits.release();
        }
        LOG.infof("Synthetic request %s %s: %,d of %,d events published", status.getId(),
                status.getState().name().toLowerCase(java.util.Locale.ROOT), status.getPublished(), status.getCount());
    }

    /** Generated samples, each made an event when it is sent (stamped then). */
    private interface EventChunk {
        String event(int r, long ts);
    }

    /**
     * The samples of events {@code sent + 1 .. sent + n} of a request, chunk {@code chunk}: one model
     * call, made one at a time per generator (requests share its native memory).
     */
    private static EventChunk sample(GeneratorSource source, RequestStatus status, int sent, int n, int chunk,
            SyntheticEventFactory factory) {
        synchronized (source.model()) {
            if (source.rows() != null) {
                FeatureRows rows = source.rows().sample(status.getClassName(), n, status.getSeed() + chunk);
                return (r, ts) -> factory.event(status, sent + r + 1, rows, r, ts);
            }
            List<float[]> images = source.images().sample(n, status.getSeed() + chunk);
            int side = source.images().side();
            return (r, ts) -> factory.imageEvent(status, sent + r + 1, images.get(r), side, source.modality(), ts);
        }
    }

    private String topicOf(GeneratorSource source) {
        return source.rows() != null ? config.topics().syntheticTelemetry() : config.topics().syntheticImaging();
    }

    /** Sleeps until event {@code sent}'s slot at {@code rate} per second comes. */
    private static void pace(long started, int sent, int rate) throws InterruptedException {
        long wait = started + sent * 1_000_000_000L / rate - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private void forgetOldRequests() {
        if (requests.size() < KEPT) {
            return;
        }
        requests.values().stream().filter(r -> r.getState() != RequestStatus.State.RUNNING)
                .min(java.util.Comparator.comparing(RequestStatus::getAcceptedAt))
                .ifPresent(r -> requests.remove(r.getId()));
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        publishers.shutdownNow();
        sources.values().forEach(GeneratorSource::close);
        sources.clear();
    }
}
