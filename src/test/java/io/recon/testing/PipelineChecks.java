package io.recon.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.kafka.Topics;

/** Checks shared by the pipeline tests of every input stream. */
public final class PipelineChecks {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PipelineChecks() {
    }

    /**
     * What a pipeline wrote, read back from Kafka.
     *
     * @param dlq    the dead-letter topic's records
     * @param alerts {@code recon.alerts}
     */
    public record Outputs(List<ConsumerRecord<String, String>> dlq, List<ConsumerRecord<String, String>> alerts) {
    }

    /**
     * Reads the verdicts until every expected id has one (asserted), then the dead letters and
     * the alerts.
     */
    public static Outputs readOutputs(KafkaTestClient kafka, Set<String> expectedIds, String dlqTopic,
            int deadLetters) {
        // By distinct key: at-least-once delivery may score a batch twice (a rebalance at start).
        List<ConsumerRecord<String, String>> verdicts = kafka.readUntil("recon.verdicts",
                read -> keys(read).containsAll(expectedIds), Duration.ofSeconds(90));
        List<ConsumerRecord<String, String>> dlq = kafka.readUntil(dlqTopic,
                read -> keys(read).size() >= deadLetters, Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> alerts = kafka.readUntil("recon.alerts",
                read -> false, Duration.ofSeconds(3));
        Set<String> verdictIds = keys(verdicts);
        assertTrue(verdictIds.containsAll(expectedIds), "every valid event gets a verdict; missing "
                + expectedIds.stream().filter(id -> !verdictIds.contains(id)).count());
        return new Outputs(dlq, alerts);
    }

    /**
     * Alert rates read back from {@code recon.alerts}, each alert checked by {@code check}.
     *
     * @param recall      share of the anomalous ids that alerted
     * @param falseAlarms share of the normal ids that alerted
     */
    public record AlertRates(double recall, double falseAlarms) {

        /** Checks every alert and counts the anomalous and normal ids among them. */
        public static AlertRates of(List<ConsumerRecord<String, String>> alerts, Set<String> anomalous,
                Set<String> normal, BiConsumer<String, JsonNode> check) {
            int hits = 0;
            int falseAlarms = 0;
            for (ConsumerRecord<String, String> r : alerts) {
                check.accept(r.key(), json(r.value()));
                if (anomalous.contains(r.key())) {
                    hits++;
                } else if (normal.contains(r.key())) {
                    falseAlarms++;
                }
            }
            return new AlertRates((double) hits / anomalous.size(), (double) falseAlarms / normal.size());
        }

        /** Prints the rates and asserts the least recall and the most false alarms. */
        public void assertWithin(String stream, double minRecall, double maxFalseAlarms) {
            System.out.printf("%s pipeline: recall %.3f on anomalies, alert rate %.3f on normal events%n", stream,
                    recall, falseAlarms);
            assertTrue(recall >= minRecall, stream + ": anomalies should alert: recall " + recall);
            assertTrue(falseAlarms <= maxFalseAlarms, stream + ": normal events should mostly not alert: "
                    + falseAlarms);
        }
    }

    /**
     * The reason code of each dead-lettered record by key, after checking that it kept the
     * original bytes and carries every dead-letter header.
     */
    public static Map<String, String> deadLetterReasons(List<ConsumerRecord<String, String>> dlq,
            Map<String, String> originals, String sourceTopic) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, String> r : dlq) {
            reasons.put(r.key(), KafkaTestClient.header(r, Topics.HEADER_REASON_CODE));
            assertEquals(originals.get(r.key()), r.value(), "the DLQ keeps the original bytes");
            assertNotNull(KafkaTestClient.header(r, Topics.HEADER_REASON));
            assertEquals(sourceTopic, KafkaTestClient.header(r, Topics.HEADER_TOPIC));
            assertNotNull(KafkaTestClient.header(r, Topics.HEADER_PARTITION));
            assertNotNull(KafkaTestClient.header(r, Topics.HEADER_OFFSET));
        }
        return reasons;
    }

    /** Each record named in {@code expected} was dead-lettered with the reason code given there. */
    public static void assertReasons(Map<String, String> expected, Map<String, String> reasons) {
        expected.forEach((id, reason) -> assertEquals(reason, reasons.get(id), "reason code of " + id));
    }

    /** The fields every alert has, whatever its stream: keyed by event id, scores above the threshold. */
    public static void assertCommonAlertFields(String key, JsonNode a) {
        assertEquals(key, a.path("eventId").asText(), "alerts are keyed by event id");
        for (String f : new String[] {"source", "stream", "model", "modelVersion", "device", "alertScore",
            "thresholdCalibration", "severity"}) {
            assertFalse(a.path(f).asText().isEmpty(), "alert field " + f);
        }
        for (String s : new String[] {"reconstructionError", "negativeElbo", "iwae"}) {
            assertTrue(a.path("scores").path(s).isNumber(), "score " + s);
        }
        assertTrue(a.path("alert").asBoolean());
        assertTrue(a.path("score").asDouble() > a.path("threshold").asDouble());
        assertTrue(a.path("percentile").asDouble() >= 98.0);
        assertTrue(a.path("eventTs").asLong() > 0 && a.path("scoredAt").asLong() >= a.path("eventTs").asLong());
    }

    /**
     * The metric names of the series in tests/deploy/metrics-contract.yml, which the Grafana
     * dashboard and the alert rules are written against.
     */
    public static Set<String> metricsContractSeries() {
        try {
            String contract = java.nio.file.Files.readString(java.nio.file.Path.of("tests/deploy/metrics-contract.yml"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("series: '([a-z_0-9]+)").matcher(contract);
            Set<String> names = new java.util.TreeSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> keys(List<ConsumerRecord<String, String>> records) {
        Set<String> keys = new HashSet<>();
        records.forEach(r -> keys.add(r.key()));
        return keys;
    }

    /** Parses JSON text. */
    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
