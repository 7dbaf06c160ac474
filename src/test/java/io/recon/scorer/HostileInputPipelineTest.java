package io.recon.scorer;

import io.recon.kafka.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;
import io.recon.testing.KafkaBrokerResource;
import io.recon.testing.KafkaTestClient;
import io.recon.data.DatasetSplit;
import io.restassured.RestAssured;

/**
 * What a hostile sender tried against the embedded default, through a real broker: a record of
 * about 1 MB (its dead letter once exceeded the producer's limit and froze the topic for good),
 * poison records that made the decoder throw (they once cost their whole batch, hiding the attacks
 * in it), and ids that forge log lines. Each must cost only itself, land in the dead-letter topic
 * with its reason, and leave the consumer scoring and ready.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class HostileInputPipelineTest {

    /** The size the broker accepted and whose dead letter the producer refused. */
    private static final int NEARLY_ONE_MEGABYTE = 1_048_450;
    /** Where the hostile records go: one after every 50 valid events. */
    private static final List<String> ORDER = List.of("huge", "deep-nesting", "long-number", "newline-id", "long-id");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void nothingASenderSendsStopsAConsumerOrTakesANeighbourWithIt() throws Exception {
        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        FlowEventFactory factory = new FlowEventFactory(mapper, flows, "hostile-input-test");
        List<Integer> normals = new ArrayList<>();
        List<Integer> attacks = new ArrayList<>();
        int idCol = flows.columnIndex("id");
        int labelCol = flows.columnIndex("label");
        for (int i = 0; i < flows.size(); i++) {
            String[] row = flows.rows().get(i);
            boolean normal = "normal".equals(row[labelCol]);
            if (DatasetSplit.partOf(row[idCol], normal) == DatasetSplit.Part.TEST) {
                (normal ? normals : attacks).add(i);
            }
        }
        long now = System.currentTimeMillis();
        String valid = factory.event(normals.get(0), 7, now);

        Map<String, String> hostile = Map.of(
                "huge", "x".repeat(NEARLY_ONE_MEGABYTE),
                "deep-nesting", withField(valid, "deep-nesting", "[".repeat(10_000) + "]".repeat(10_000)),
                "long-number", withField(valid, "long-number", "1".repeat(5_000)),
                "newline-id", withField(valid, "newline-id\n12:00:00.000 INFO  forged log line", null),
                "long-id", withField(valid, "x".repeat(300), null));
        Map<String, String> expectedReasons = Map.of("huge", "too_large", "deep-nesting", "too_complex",
                "long-number", "too_complex", "newline-id", "bad_field", "long-id", "bad_field");

        Set<String> expected = new HashSet<>();
        Set<String> attackIds = new HashSet<>();
        try (KafkaTestClient kafka = new KafkaTestClient(KafkaBrokerResource.bootstrapServers())) {
            // 200 normal flows and 50 attacks, a hostile record after every 50, all on one key so
            // that they share a partition and arrive in the same polls.
            for (int k = 0; k < 250; k++) {
                boolean attack = k % 5 == 4;
                int row = attack ? attacks.get(k / 5 * attacks.size() / 50) : normals.get(k * normals.size() / 250);
                String id = factory.id(row, 1);
                kafka.send("telemetry.events", "same-partition", factory.event(row, 1, now));
                expected.add(id);
                if (attack) {
                    attackIds.add(id);
                }
                if (k % 50 == 25) {
                    kafka.send("telemetry.events", "same-partition", hostile.get(ORDER.get(k / 50)));
                }
            }
            // An image record of the same size and a poison image envelope on the image topic.
            kafka.send("imaging.events", "huge-image", "x".repeat(NEARLY_ONE_MEGABYTE));
            kafka.send("imaging.events", "deep-image", "{\"id\":\"deep-image\",\"x\":" + "[".repeat(10_000)
                    + "]".repeat(10_000) + "}");

            List<ConsumerRecord<String, String>> verdicts = kafka.readUntil("recon.verdicts",
                    read -> keys(read).containsAll(expected), Duration.ofSeconds(90));
            assertTrue(keys(verdicts).containsAll(expected), "every valid neighbour of a hostile record is scored; "
                    + "missing " + expected.stream().filter(id -> !keys(verdicts).contains(id)).count());

            List<ConsumerRecord<String, String>> alerts = kafka.readUntil("recon.alerts",
                    read -> keys(read).containsAll(attackIds), Duration.ofSeconds(10));
            long alerted = attackIds.stream().filter(keys(alerts)::contains).count();
            assertTrue(alerted >= 40, "the attacks next to poison records still alert: " + alerted + " of 50");

            List<ConsumerRecord<String, String>> dlq = kafka.readUntil("telemetry.events.dlq",
                    read -> read.size() >= hostile.size(), Duration.ofSeconds(30));
            Map<String, String> reasonBySha = new java.util.HashMap<>();
            for (ConsumerRecord<String, String> r : dlq) {
                reasonBySha.put(KafkaTestClient.header(r, Topics.HEADER_ORIGINAL_SHA256),
                        KafkaTestClient.header(r, Topics.HEADER_REASON_CODE));
            }
            hostile.forEach((name, value) -> assertEquals(expectedReasons.get(name), reasonBySha.get(sha256(value)),
                    name + " is dead-lettered with its reason"));
            assertTrue(dlq.stream().allMatch(r -> r.value().length() <= 524_288), "dead letters fit the limit");
            ConsumerRecord<String, String> huge = dlq.stream()
                    .filter(r -> "true".equals(KafkaTestClient.header(r, Topics.HEADER_TRUNCATED))).findFirst()
                    .orElseThrow(() -> new AssertionError("the 1 MB record's dead letter says it was cut"));
            assertEquals(Integer.toString(NEARLY_ONE_MEGABYTE), KafkaTestClient.header(huge,
                    Topics.HEADER_ORIGINAL_BYTES));
            assertEquals(524_288, huge.value().length());
            assertEquals("telemetry.events", KafkaTestClient.header(huge, Topics.HEADER_TOPIC));

            List<ConsumerRecord<String, String>> imageDlq = kafka.readUntil("imaging.events.dlq",
                    read -> keys(read).containsAll(Set.of("huge-image", "deep-image")), Duration.ofSeconds(30));
            Map<String, String> imageReasons = imageDlq.stream().collect(Collectors.toMap(ConsumerRecord::key,
                    r -> KafkaTestClient.header(r, Topics.HEADER_REASON_CODE), (a, b) -> a));
            assertEquals("invalid_json", imageReasons.get("huge-image"));
            assertEquals("too_complex", imageReasons.get("deep-image"));

            // Still consuming after all of it: one more event on each topic is scored or dead-lettered.
            String after = factory.event(normals.get(1), 9, System.currentTimeMillis());
            kafka.send("telemetry.events", "same-partition", after);
            String afterId = factory.id(normals.get(1), 9);
            assertTrue(keys(kafka.readUntil("recon.verdicts", read -> keys(read).contains(afterId),
                    Duration.ofSeconds(30))).contains(afterId), "the consumer goes on after the hostile records");
        }
        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/health/live").then().statusCode(200);
    }

    /** {@code valid} with its id replaced (when {@code id} is given) and a raw JSON field added. */
    private String withField(String valid, String id, String rawJsonField) throws Exception {
        ObjectNode event = (ObjectNode) mapper.readTree(valid);
        event.put("id", id);
        String json = mapper.writeValueAsString(event);
        return rawJsonField == null ? json
                : json.substring(0, json.length() - 1) + ",\"ignored\":" + rawJsonField + "}";
    }

    private static Set<String> keys(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
