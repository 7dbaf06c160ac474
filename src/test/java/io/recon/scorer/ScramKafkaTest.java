package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaTestClient;
import io.recon.testing.ScramKafkaBrokerResource;
import io.restassured.RestAssured;

/**
 * Recon against a broker that admits only SASL/SCRAM-SHA-512 clients: with the credentials in
 * {@code kafka.*} alone, the consumers, the outcome producer and the readiness check all connect
 * (an event goes in, its verdict comes out, readiness is UP), while a client without them is
 * refused. Tagged {@code own-profile}: its broker resource starts Quarkus afresh (see {@code ReadPolicyTest}).
 */
@Tag("own-profile")
@QuarkusTest
@QuarkusTestResource(value = ScramKafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ScramKafkaTest {

    @Test
    void everyClientAuthenticatesWithScramAndNoOneElseGetsIn() throws Exception {
        var broker = ScramKafkaBrokerResource.broker();
        FlowEventFactory flows = new FlowEventFactory(new ObjectMapper(),
                TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz")), "scram-test");
        String id = flows.id(0, 1);
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers(), broker.clientSecurity())) {
            kafka.send("telemetry.events", id, flows.event(0, 1, System.currentTimeMillis()));
            var verdicts = kafka.readUntil("recon.verdicts", read -> read.stream().anyMatch(r -> id.equals(r.key())),
                    Duration.ofSeconds(60));
            assertTrue(verdicts.stream().anyMatch(r -> id.equals(r.key())), "the event is scored through SCRAM clients");
        }
        RestAssured.get("/q/health/ready").then().statusCode(200);

        Properties anonymous = new Properties();
        anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThrows(Exception.class, () -> admin.listTopics().names().get(5, TimeUnit.SECONDS),
                    "a client without credentials is refused");
        }
        Map<String, String> wrong = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism",
                "SCRAM-SHA-512", "sasl.jaas.config", io.recon.kafka.EmbeddedKafkaBroker.jaas("recon", "wrong"));
        Properties wrongPassword = new Properties();
        wrongPassword.putAll(anonymous);
        wrongPassword.putAll(wrong);
        try (Admin admin = Admin.create(wrongPassword)) {
            assertThrows(Exception.class, () -> admin.listTopics().names().get(5, TimeUnit.SECONDS),
                    "a wrong password is refused");
        }
    }
}
