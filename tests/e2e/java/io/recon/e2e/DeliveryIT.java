package io.recon.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.recon.kafka.EmbeddedKafkaBroker;

/**
 * At-least-once delivery under failure: a scorer killed with SIGKILL mid-stream and restarted,
 * and a broker stopped and restarted mid-stream. Afterwards every event the broker accepted has
 * a verdict or a dead-letter record downstream; duplicates are allowed (and reported), losses
 * are not.
 */
class DeliveryIT {

    private static final Path FLOWS = Path.of("tests/data/telemetry/flows.csv.gz");
    private static final int EVENTS = 12_000;
    private static final int RATE = 1_500;

    @Test
    void scorerKilledMidStreamLosesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts().start()) {
            createTopics(broker);
            String bootstrap = broker.bootstrapServers();
            try (FlowProducer producer = new FlowProducer(bootstrap, "telemetry.events", FLOWS);
                    OutcomeLedger ledger = new OutcomeLedger(bootstrap)) {
                ReconProcess scorer = ReconProcess.start(ReconProcess.scorerAgainst(bootstrap));
                assertTrue(scorer.awaitLine(l -> l.contains("started in"), 90), scorer.tail(40));
                producer.startProducing("kill-", EVENTS, RATE, 97);
                Thread.sleep(4_000);
                scorer.kill(); // SIGKILL mid-stream: no shutdown hook, no final commit
                Thread.sleep(1_000);
                ReconProcess restarted = ReconProcess.start(ReconProcess.scorerAgainst(bootstrap));
                try {
                    producer.awaitDone();
                    assertEquals(0, producer.failed(), "the test's own sends must succeed");
                    Set<String> missing = ledger.awaitAll(producer.acknowledged(), Duration.ofSeconds(120));
                    System.out.printf("kill test: %d events, %d outcome records, %d duplicates, %d lost%n",
                            producer.acknowledged().size(), ledger.records(), ledger.duplicates(), missing.size());
                    assertEquals(Set.of(), limit(missing), "every event has an outcome after the crash");
                } finally {
                    restarted.stop(60);
                }
            }
        }
    }

    @Test
    void brokerRestartedMidStreamLosesNothing() throws Exception {
        Path dataDir = Files.createTempDirectory("recon-delivery-broker-");
        int[] ports = ReconProcess.freePorts(2);
        int port = ports[0];
        int controller = ports[1];
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(port, controller, dataDir).start();
        createTopics(broker);
        String bootstrap = broker.bootstrapServers();
        ReconProcess scorer = ReconProcess.start(ReconProcess.scorerAgainst(bootstrap));
        try (FlowProducer producer = new FlowProducer(bootstrap, "telemetry.events", FLOWS)) {
            assertTrue(scorer.awaitLine(l -> l.contains("started in"), 90), scorer.tail(40));
            producer.startProducing("restart-", EVENTS, RATE, 97);
            Thread.sleep(3_000);
            broker.close(); // the only broker goes away mid-stream...
            Thread.sleep(3_000);
            broker = new EmbeddedKafkaBroker(port, controller, dataDir).start(); // ...and comes back
            producer.awaitDone();
            assertEquals(0, producer.failed(), "the producer rides out the restart");
            assertTrue(scorer.isAlive(), "the scorer survives a broker restart:\n" + scorer.tail(40));
            try (OutcomeLedger ledger = new OutcomeLedger(bootstrap)) {
                Set<String> missing = ledger.awaitAll(producer.acknowledged(), Duration.ofSeconds(180));
                System.out.printf("broker restart test: %d events, %d outcome records, %d duplicates, %d lost%n",
                        producer.acknowledged().size(), ledger.records(), ledger.duplicates(), missing.size());
                assertEquals(Set.of(), limit(missing), "every event has an outcome after the broker restart");
            }
        } finally {
            scorer.stop(60);
            broker.close();
        }
    }

    private static void createTopics(EmbeddedKafkaBroker broker) {
        broker.createTopics(Map.of("telemetry.events", 4, "telemetry.events.dlq", 1, "recon.alerts", 4,
                "recon.verdicts", 4));
    }

    private static Set<String> limit(Set<String> missing) {
        return missing.stream().sorted().limit(20).collect(java.util.stream.Collectors.toSet());
    }
}
