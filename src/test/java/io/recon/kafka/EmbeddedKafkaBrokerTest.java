package io.recon.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's log directory: a temporary one goes when the broker stops (benchmark runs
 * had left 78 GB of them in /tmp and filled the disk), a folder the operator named stays.
 */
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void aBrokerInATemporaryFolderDeletesItWhenItStops() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts().start();
        Path logs = broker.dataDir();
        try {
            broker.createTopics(Map.of("kept-until-close", 2));
            assertTrue(Files.exists(logs.resolve("meta.properties")), "formatted log directory " + logs);
            // The broker creates a new topic's partitions a moment after it has accepted the topic.
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(logs.resolve("kept-until-close-1")));
        } finally {
            broker.close();
        }
        assertFalse(Files.exists(logs), logs + " should be gone once the broker stopped");
    }

    @Test
    void aBrokerInANamedFolderLeavesItForTheNextStart() {
        Path logs = dir.resolve("kafka");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(0, 0, logs).start()) {
            broker.createTopics(Map.of("survives", 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(logs.resolve("survives-0")));
        }
        assertTrue(Files.isDirectory(logs.resolve("survives-0")), "the topic's partition stays in " + logs);
    }
}
