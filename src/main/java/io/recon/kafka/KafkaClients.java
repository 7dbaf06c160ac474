package io.recon.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.smallrye.common.annotation.Identifier;

/**
 * Where every Kafka client of Recon gets its settings: each {@code kafka.*} property of the
 * application (bootstrap servers, TLS, SASL, timeouts), kept to the keys that kind of client
 * knows, plus the client id given. The messaging channels read the same {@code kafka.*} tree, so
 * a producer, consumer or admin client built here talks to the cluster exactly as they do; none
 * takes only the bootstrap address and silently drops the security settings.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> kafkaConfig;

    /** Built from the application's {@code kafka.*} configuration (Quarkus' default broker map). */
    @Inject
    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = Map.copyOf(kafkaConfig);
    }

    /** Producer settings, client id {@code clientId} unless {@code kafka.client.id} is set. */
    public Map<String, Object> producer(String clientId) {
        return clientSettings(ProducerConfig.configNames(), ProducerConfig.CLIENT_ID_CONFIG, clientId);
    }

    /** Consumer settings in group {@code groupId}, client id {@code clientId} unless set. */
    public Map<String, Object> consumer(String clientId, String groupId) {
        Map<String, Object> settings = clientSettings(ConsumerConfig.configNames(), ConsumerConfig.CLIENT_ID_CONFIG,
                clientId);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        return settings;
    }

    /** Admin client settings, client id {@code clientId} unless set. */
    public Map<String, Object> admin(String clientId) {
        return clientSettings(AdminClientConfig.configNames(), AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    }

    /** The bootstrap servers, for logs and health data. */
    public String bootstrapServers() {
        return String.valueOf(kafkaConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    private Map<String, Object> clientSettings(Set<String> known, String clientIdKey, String clientId) {
        Map<String, Object> settings = new HashMap<>();
        // The application-wide map also carries keys of other client kinds; each client gets its own.
        kafkaConfig.forEach((key, value) -> {
            if (known.contains(key)) {
                settings.put(key, value);
            }
        });
        settings.putIfAbsent(clientIdKey, clientId);
        return settings;
    }
}
