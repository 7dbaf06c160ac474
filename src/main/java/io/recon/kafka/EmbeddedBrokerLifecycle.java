package io.recon.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;

/**
 * Starts the embedded broker before anything else in the process talks to Kafka, creates
 * Recon's topics, and stops it last,
 * after the messaging clients have closed.
 */
@ApplicationScoped
public class EmbeddedBrokerLifecycle {

    private final ReconConfig config;
    private EmbeddedKafkaBroker broker;

    @Inject
    EmbeddedBrokerLifecycle(ReconConfig config) {
        this.config = config;
    }

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        ReconConfig.Kafka.Embedded embedded = config.kafka().embedded();
        if (!embedded.enabled()) {
            return;
        }
        // Without a configured folder every start gets a fresh, empty broker (like a dev service) in a
        // temporary folder deleted at shutdown; with one, topics and committed offsets survive restarts.
        broker = embedded.dataDir()
                .map(dir -> new EmbeddedKafkaBroker(embedded.port(), embedded.controllerPort(), Path.of(dir)))
                .orElseGet(() -> EmbeddedKafkaBroker.inTemporaryFolder(embedded.port(), embedded.controllerPort()))
                .start();
        Map<String, Integer> topics = new LinkedHashMap<>();
        ReconConfig.Topics names = config.topics();
        topics.put(names.telemetryEvents(), embedded.partitions());
        topics.put(names.telemetryDlq(), 1);
        topics.put(names.imagingEvents(), embedded.partitions());
        topics.put(names.imagingDlq(), 1);
        topics.put(names.alerts(), embedded.partitions());
        topics.put(names.verdicts(), embedded.partitions());
        topics.put(names.explanations(), embedded.partitions());
        topics.put(names.alertsDlq(), 1);
        topics.put(names.syntheticTelemetry(), 1);
        topics.put(names.syntheticImaging(), 1);
        broker.createTopics(topics);
    }

    /**
     * After the messaging connector has closed its clients (it does so on BeforeDestroyed at a
     * low priority number), so they do not spend the shutdown reconnecting to a gone broker.
     */
    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) @Priority(Interceptor.Priority.PLATFORM_AFTER)
            Object event) {
        if (broker != null) {
            broker.close();
        }
    }
}
