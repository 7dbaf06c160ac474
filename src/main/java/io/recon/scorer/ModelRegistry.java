package io.recon.scorer;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.recon.config.ReconConfig;
import io.recon.event.TelemetryEventDecoder;
import io.recon.event.ImageEventDecoder;
import io.recon.nn.DeviceSelector;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.InvalidBundleException;
import io.recon.bundle.ModelBundle;

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
    private final AtomicReference<ImageModelRouter> imaging = new AtomicReference<>();
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
        DirectMemoryBound.warnIfUnbounded();
    }

    /** The telemetry scorer, loading the bundle on first use. */
    public TelemetryScorer telemetry() {
        return getOrLoad(telemetry, this::loadTelemetry);
    }

    /** Whether an image model is configured ({@code recon.models.imaging}). */
    public boolean isImagingConfigured() {
        return config.models().imaging().map(list -> !list.isEmpty()).orElse(false);
    }

    /**
     * The image models behind their router, loading the bundles on first use.
     *
     * @throws IllegalStateException when no image model is configured
     */
    public ImageModelRouter imaging() {
        return getOrLoad(imaging, this::loadImaging);
    }

    private <T> T getOrLoad(AtomicReference<T> ref, Supplier<T> load) {
        T scorer = ref.get();
        if (scorer == null) {
            synchronized (this) {
                scorer = ref.get();
                if (scorer == null) {
                    scorer = load.get();
                    ref.set(scorer);
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

    /** The loaded image bundles. */
    public List<ImageModelBundle> loadedImaging() {
        ImageModelRouter router = imaging.get();
        return router == null ? List.of() : router.scorers().stream().map(ImageScorer::bundle).toList();
    }

    /**
     * Loads the telemetry bundle again from disk and swaps it in; the old one is closed a minute later.
     *
     * @throws ReloadRefusedException when the bundle on disk cannot be loaded; the old one keeps serving
     */
    public synchronized ModelBundle reloadTelemetry() {
        TelemetryScorer fresh = reloaded(config.models().telemetry(), this::loadTelemetry);
        return swap(telemetry, fresh, TelemetryScorer::bundle).bundle();
    }

    /**
     * Loads the image bundles again from disk and swaps them in together; the old ones are closed
     * a minute later.
     *
     * @throws ReloadRefusedException when any of them cannot be loaded; the old ones keep serving
     */
    public synchronized List<ImageModelBundle> reloadImaging() {
        swap(imaging, reloaded(String.join(",", config.models().imaging().orElse(List.of())), this::loadImaging),
                router -> router);
        return loadedImaging();
    }

    /** Loads a new version, counting the outcome; a failure leaves everything as it was. */
    private <T> T reloaded(String models, Supplier<T> load) {
        try {
            T fresh = load.get();
            reloads(models, "loaded").increment();
            return fresh;
        } catch (RuntimeException e) {
            reloads(models, "refused").increment();
            // A refused bundle is an expected outcome with a full message; other failures get their trace.
            LOG.warnf(e instanceof InvalidBundleException ? null : e,
                    "Reload of %s refused; the loaded version keeps serving: %s", models, e.getMessage());
            throw new ReloadRefusedException(reason(e) + "; the loaded version keeps serving", e);
        }
    }

    private Counter reloads(String models, String outcome) {
        return Counter.builder("recon.model.reloads").description("Model reloads asked for, by outcome")
                .tags(Tags.of("model", models, "outcome", outcome)).register(meters);
    }

    /** Why a load failed, in words safe to return to the caller. */
    private static String reason(RuntimeException e) {
        if (e instanceof InvalidBundleException || e instanceof UncheckedIOException) {
            return e.getMessage();
        }
        return "the bundle could not be loaded (" + e.getClass().getSimpleName() + "; the service log has the details)";
    }

    private <T> T swap(AtomicReference<T> ref, T fresh, Function<T, AutoCloseable> bundleOf) {
        T old = ref.getAndSet(fresh);
        if (old != null) {
            // Batches already scoring on the old bundle keep it until they finish.
            retirement.schedule(() -> closeQuietly(bundleOf.apply(old)), 60, TimeUnit.SECONDS);
        }
        return fresh;
    }

    private TelemetryScorer loadTelemetry() {
        Path dir = Path.of(config.models().dir(), config.models().telemetry());
        long started = System.nanoTime();
        ModelBundle bundle = ModelBundle.load(dir, device(), mapper);
        loaded(dir, bundle.manifest().name(), bundle.manifest().version(), bundle.device(), started,
                bundle.calibration().threshold(), bundle.manifest().scoring().alertScore());
        return new TelemetryScorer(bundle, new TelemetryEventDecoder(mapper), config.scoring().topContributions(),
                Clock.systemUTC(),
                config.scoring().twoStage() ? Math.max(1, config.scoring().twoStageMinBatch()) : 0,
                config.drift().exactEvery());
    }

    private ImageModelRouter loadImaging() {
        List<String> names = config.models().imaging().filter(list -> !list.isEmpty())
                .orElseThrow(() -> new IllegalStateException("no image model is configured (recon.models.imaging)"));
        Path root = config.imaging().uriRoot().map(Path::of).orElse(null);
        List<ImageScorer> scorers = new ArrayList<>();
        try {
            for (String name : names) {
                Path dir = Path.of(config.models().dir(), name.trim());
                long started = System.nanoTime();
                ImageModelBundle bundle = ImageModelBundle.load(dir, device(), mapper);
                loaded(dir, bundle.manifest().name(), bundle.manifest().version(), bundle.device(), started,
                        bundle.calibration().threshold(), bundle.manifest().scoring().alertScore());
                // Each model decodes its events through its own window (CT models: Hounsfield units)
                // and is resized to the model's input right after decoding (one full-size image at a time).
                scorers.add(new ImageScorer(bundle, new ImageEventDecoder(mapper, root,
                        ImageEventDecoder.Limits.defaults(), bundle.manifest().window(), bundle.manifest().width(),
                        bundle.manifest().height()), Clock.systemUTC()));
            }
            return new ImageModelRouter(scorers);
        } catch (RuntimeException e) {
            scorers.forEach(s -> s.bundle().close());
            throw e;
        }
    }

    /** The device to load on, with DJL's thread settings made before its engine starts. */
    private Device device() {
        NativeAllocator.keepFreedMemory();
        return DeviceSelector.forService(config.device(), config.scoring().torchThreads());
    }

    /** Logs a loaded bundle and registers its info gauge. */
    private void loaded(Path dir, String name, String version, Device device, long started, double threshold,
            String alertScore) {
        LOG.infof("Loaded model %s version %s from %s on %s in %d ms (threshold %.4f on %s)", name, version, dir,
                device, (System.nanoTime() - started) / 1_000_000, threshold, alertScore);
        Gauge.builder("recon.model.info", () -> 1)
                .description("Loaded model bundles (value 1), with their version and device")
                .tags(Tags.of("model", name, "version", version, "device", device.toString()))
                .register(meters);
    }

    private static void closeQuietly(AutoCloseable bundle) {
        try {
            bundle.close();
        } catch (Exception e) {
            LOG.warn("Closing a retired model bundle failed", e);
        }
    }

    @PreDestroy
    void close() {
        retirement.shutdownNow();
        TelemetryScorer scorer = telemetry.getAndSet(null);
        if (scorer != null) {
            scorer.bundle().close();
        }
        ImageModelRouter image = imaging.getAndSet(null);
        if (image != null) {
            image.close();
        }
    }
}
