package io.recon.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Every client kind gets every {@code kafka.*} setting it knows, security included, and none it
 * does not (a producer given {@code group.id} would warn at start).
 */
class KafkaClientsTest {

    private final KafkaClients clients = new KafkaClients(Map.of(
            "bootstrap.servers", "kafka-0:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "group.id", "somebody-elses-group",
            "linger.ms", "20"));

    @Test
    void producersConsumersAndAdminsAllCarryTheSecuritySettings() {
        for (Map<String, Object> settings : new Map[] {clients.producer("p"), clients.consumer("c", "recon-x"),
            clients.admin("a")}) {
            assertEquals("kafka-0:9093", settings.get("bootstrap.servers"));
            assertEquals("SASL_SSL", settings.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"));
            assertEquals("/etc/kafka/truststore.p12", settings.get("ssl.truststore.location"));
        }
    }

    @Test
    void eachClientKeepsOnlyItsOwnKeysAndItsOwnIdentity() {
        Map<String, Object> producer = clients.producer("recon-replay");
        assertEquals("20", producer.get("linger.ms"));
        assertFalse(producer.containsKey("group.id"));
        assertEquals("recon-replay", producer.get("client.id"));
        Map<String, Object> consumer = clients.consumer("recon-alert-log", "recon-alert-log");
        assertEquals("recon-alert-log", consumer.get("group.id"), "the role's own group, not the shared one");
        assertFalse(consumer.containsKey("linger.ms"));
        assertFalse(clients.admin("a").containsKey("linger.ms"));
        assertEquals("kafka-0:9093", clients.bootstrapServers());
    }
}
