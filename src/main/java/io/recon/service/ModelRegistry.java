package io.recon.service;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.recon.config.ReconConfig;
import io.recon.event.TelemetryEventDecoder;
import io.recon.model.DeviceSelector;
import io.recon.model.ModelBundle;
import io.recon.scoring.TelemetryScorer;

/**
 * Holds the model bundles this process scores with, loads them at start and swaps in a new
 * version on reload without a restart (in-flight batches finish on the old one).
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final ReconConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final AtomicReference<TelemetryScorer> telemetry = new AtomicReference<>();
    private final ScheduledExecutorService retirement = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recon-model-retirement");
        t.setDaemon(true);
        return t;
    });

    @Inject
    ModelRegistry(ReconConfig config, ObjectMapper mapper, MeterRegistry meters) {
        this.config = config;
        this.mapper = mapper;
        this.meters = meters;
    }

    /** The telemetry scorer, loading the bundle on first use. */
    public TelemetryScorer telemetry() {
        TelemetryScorer scorer = telemetry.get();
        if (scorer == null) {
            synchronized (this) {
                scorer = telemetry.get();
                if (scorer == null) {
                    scorer = loadTelemetry();
                    telemetry.set(scorer);
                }
            }
        }
        return scorer;
    }

    /** Whether the telemetry model is loaded (readiness). */
    public boolean isTelemetryLoaded() {
        return telemetry.get() != null;
    }

    /** The loaded bundles. */
    public List<ModelBundle> loaded() {
        TelemetryScorer scorer = telemetry.get();
        return scorer == null ? List.of() : List.of(scorer.bundle());
    }

    /** Loads the telemetry bundle again from disk and swaps it in; the old one is closed a minute later. */
    public synchronized ModelBundle reloadTelemetry() {
        TelemetryScorer fresh = loadTelemetry();
        TelemetryScorer old = telemetry.getAndSet(fresh);
        if (old != null) {
            // Batches already scoring on the old bundle keep it until they finish.
            retirement.schedule(() -> old.bundle().close(), 60, TimeUnit.SECONDS);
        }
        return fresh.bundle();
    }

    private TelemetryScorer loadTelemetry() {
        Path dir = Path.of(config.models().dir(), config.models().telemetry());
        // Read by DJL when its engine starts; an explicit -D on the command line wins.
        String threads = Integer.toString(config.scoring().torchThreads());
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", threads));
        Device device = DeviceSelector.select(config.device());
        long started = System.nanoTime();
        ModelBundle bundle = ModelBundle.load(dir, device, mapper);
        LOG.infof("Loaded model %s version %s from %s on %s in %d ms (threshold %.4f on %s)",
                bundle.manifest().name(), bundle.manifest().version(), dir, bundle.device(),
                (System.nanoTime() - started) / 1_000_000, bundle.calibration().threshold(),
                bundle.manifest().scoring().alertScore());
        Gauge.builder("recon.model.info", () -> 1)
                .description("Loaded model bundles (value 1), with their version and device")
                .tags(Tags.of("model", bundle.manifest().name(), "version", bundle.manifest().version(),
                        "device", bundle.device().toString()))
                .register(meters);
        return new TelemetryScorer(bundle, new TelemetryEventDecoder(mapper), config.scoring().topContributions(),
                Clock.systemUTC());
    }

    @PreDestroy
    void close() {
        retirement.shutdownNow();
        TelemetryScorer scorer = telemetry.getAndSet(null);
        if (scorer != null) {
            scorer.bundle().close();
        }
    }
}
