package io.recon.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.recon.config.ReconConfig;

/**
 * Starts the embedded broker before anything else in the process talks to Kafka, creates
 * Recon's topics, and stops it last, after the messaging clients have closed.
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
        Path dataDir = Path.of(embedded.dataDir().orElse(System.getProperty("java.io.tmpdir") + "/recon-kafka"));
        broker = new EmbeddedKafkaBroker(embedded.port(), embedded.controllerPort(), dataDir).start();
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put("telemetry.events", embedded.partitions());
        topics.put("telemetry.events.dlq", 1);
        topics.put("recon.alerts", embedded.partitions());
        topics.put("recon.verdicts", embedded.partitions());
        broker.createTopics(topics);
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 100) ShutdownEvent event) {
        if (broker != null) {
            broker.close();
        }
    }
}
