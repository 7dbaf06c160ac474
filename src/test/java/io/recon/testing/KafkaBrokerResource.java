package io.recon.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.recon.kafka.EmbeddedKafkaBroker;

/**
 * Starts a real Kafka broker (KRaft, in the test JVM, on free ports) for a Quarkus test and
 * points the application's Kafka clients at it; stops it afterwards.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.onFreePorts().start();
        broker.createTopics(Map.of("telemetry.events", 2, "telemetry.events.dlq", 1, "imaging.events", 2,
                "imaging.events.dlq", 1, "recon.alerts", 2, "recon.verdicts", 2, "synthetic.telemetry", 1));
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /** Bootstrap servers of the running broker, for the test's own producers and consumers. */
    public static String bootstrapServers() {
        return broker.bootstrapServers();
    }
}
