package io.recon.scorer;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;
import io.recon.config.Role;

/**
 * Logs the scorer's {@link ScoringSummary} every {@code recon.summary.interval} (60 s by default; 0
 * turns it off) in a process that runs the scorer role, under the logger {@code recon.summary}.
 */
@ApplicationScoped
public class ScoringSummaryLog {

    private static final Logger LOG = Logger.getLogger("recon.summary");

    @Inject
    ReconConfig config;

    @Inject
    MeterRegistry registry;

    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent event) {
        long millis = config.summary().interval().toMillis();
        if (!config.roles().contains(Role.SCORER) || millis <= 0) {
            return;
        }
        ScoringSummary summary = new ScoringSummary(registry, System::nanoTime);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "recon-summary");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                LOG.info(summary.next());
            } catch (RuntimeException e) {
                // A line missed is better than a timer stopped for good.
                LOG.warn("summary line failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
