package io.recon.health;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.recon.kafka.KafkaClients;

/**
 * Ready only while the Kafka cluster answers. The messaging extension's own check reports a
 * consumer that has never connected as fine, so a scorer pointed at a dead broker would take
 * traffic; this asks the cluster for its brokers, with a short timeout. Quarkus' Kafka health check
 * ({@code quarkus.kafka.health.enabled}) asks the same question but waits for the answer without a
 * bound of its own (the admin client's default API timeout, 60 s), longer than a probe waits.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

    private static final long TIMEOUT_MS = 2_000;

    private final Admin admin;
    private final String bootstrap;

    @Inject
    KafkaReadinessCheck(KafkaClients clients) {
        Map<String, Object> config = clients.admin("recon-readiness");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        this.bootstrap = clients.bootstrapServers();
        this.admin = Admin.create(config);
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("kafka").up().withData("bootstrap", bootstrap)
                    .withData("brokers", brokers).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (Exception e) {
            // The exception's type only: probe output is read by people and tools outside the service.
            return down("no answer from the cluster in " + TIMEOUT_MS + " ms (" + e.getClass().getSimpleName() + ")");
        }
    }

    private HealthCheckResponse down(String why) {
        return HealthCheckResponse.named("kafka").down().withData("bootstrap", bootstrap).withData("error", why)
                .build();
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
