package io.recon.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.recon.kafka.EmbeddedKafkaBroker;

/**
 * A real Kafka broker that admits only SASL/SCRAM-SHA-512 clients on loopback, and Recon's
 * {@code kafka.*} settings pointing at it with the credentials: every Kafka client Recon builds
 * must apply them, or it cannot connect.
 */
public class ScramKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** The one SCRAM user. */
    public static final String USER = "recon";
    /** Its password. */
    public static final String PASSWORD = "scram-test-password-0123";

    private static EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.onFreePorts().withScramUser(USER, PASSWORD).start();
        broker.createTopics(Map.of("telemetry.events", 1, "telemetry.events.dlq", 1, "imaging.events", 1,
                "imaging.events.dlq", 1, "recon.alerts", 1, "recon.verdicts", 1));
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        broker.clientSecurity().forEach((key, value) -> config.put("kafka." + key, value));
        return config;
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** The running broker. */
    public static EmbeddedKafkaBroker broker() {
        return broker;
    }
}
