package io.recon.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.recon.kafka.EmbeddedKafkaBroker;
import io.recon.kafka.KafkaClients;

class KafkaReadinessCheckTest {

    @Test
    void upWhileTheClusterAnswersDownWhenItIsGone() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts().start();
        KafkaReadinessCheck check = new KafkaReadinessCheck(
                new KafkaClients(Map.of("bootstrap.servers", broker.bootstrapServers())));
        try {
            HealthCheckResponse up = check.call();
            assertEquals(HealthCheckResponse.Status.UP, up.getStatus());
            assertEquals(1L, ((Number) up.getData().get().get("brokers")).longValue());
            broker.close();
            assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
        } finally {
            check.close();
            broker.close();
        }
    }
}
