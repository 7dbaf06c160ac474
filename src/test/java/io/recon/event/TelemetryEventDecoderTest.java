package io.recon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.replay.FlowEventFactory;

class TelemetryEventDecoderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final TelemetryEventDecoder decoder = new TelemetryEventDecoder(mapper, 1024);

    @Test
    void streamingAndTreeDecodingAgreeOnEveryRecordedFlow() throws Exception {
        Table flows = TabularReader.read(Path.of("tests/data/telemetry/flows.csv.gz"));
        FlowEventFactory factory = new FlowEventFactory(mapper, flows, "argus");
        TelemetryEventDecoder unlimited = new TelemetryEventDecoder(mapper);
        StreamingTelemetryParser fastPath = new StreamingTelemetryParser(mapper.getFactory());
        for (int i = 0; i < factory.size(); i++) {
            String json = factory.event(i, 1, 1_700_000_000_000L + i);
            assertNotNull(fastPath.parse(json.getBytes(StandardCharsets.UTF_8)), "a well-formed flow takes the fast path");
            assertSameAsTree(unlimited, json);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"id\":\"a\",\"ts\":5,\"source\":\"s\",\"features\":{\"n\":12,\"big\":123456789012,\"f\":-1.5e-3}}",
        "{\"features\":{\"p\":\"t\\u00e9\"},\"source\":\"s\",\"extra\":[1,{\"x\":null}],\"ts\":\"2026-11-29T00:00:00Z\",\"id\":\"b\"}",
        "{\"id\":\"c\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":1,\"a\":2}}",
        "{\"id\":\"d\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":1}} {\"trailing\":1}",
        "{\"id\":\"e\",\"id\":\"f\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":100000000000000000000000}}",
    })
    void streamingAndTreeDecodingAgreeOnUnusualEvents(String json) throws Exception {
        assertSameAsTree(decoder, json);
    }

    /** The fast path gives exactly the tree's event: same fields, same feature values in the same order. */
    private void assertSameAsTree(TelemetryEventDecoder d, String json) throws Exception {
        TelemetryEvent fast = d.decode(json.getBytes(StandardCharsets.UTF_8));
        TelemetryEvent tree = d.fromTree(mapper.readTree(json));
        assertEquals(tree, fast, json);
        assertEquals(List.copyOf(tree.features().keySet()), List.copyOf(fast.features().keySet()), json);
    }

    @Test
    void decodesAFlowRecord() {
        TelemetryEvent e = decoder.decode("{\"id\":\"f1\",\"ts\":1700000000000,\"source\":\"argus\","
                + "\"features\":{\"src_bytes\":1200,\"proto\":\"tcp\"}}");
        assertEquals("f1", e.id());
        assertEquals(1700000000000L, e.ts());
        assertEquals(1200.0, e.features().get("src_bytes"));
        assertEquals("tcp", e.features().get("proto"));
    }

    @Test
    void acceptsIsoTimestamps() {
        TelemetryEvent e = decoder.decode("{\"id\":\"f1\",\"ts\":\"2026-11-29T00:00:00Z\",\"source\":\"s\","
                + "\"features\":{\"a\":1}}");
        assertEquals(1795910400000L, e.ts());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"id\": 1}                                                                  | bad_field       | 'id'",
        "[1,2]                                                                        | not_an_object   | array",
        "{\"ts\":1,\"source\":\"s\",\"features\":{\"a\":1}}                           | missing_field   | 'id'",
        "{\"id\":\"x\",\"source\":\"s\",\"features\":{\"a\":1}}                       | missing_field   | 'ts'",
        "{\"id\":\"x\",\"ts\":-4,\"source\":\"s\",\"features\":{\"a\":1}}             | bad_field       | 'ts'",
        "{\"id\":\"x\",\"ts\":1,\"features\":{\"a\":1}}                               | missing_field   | 'source'",
        "{\"id\":\"x\",\"ts\":1,\"source\":\"s\"}                                     | missing_field   | 'features'",
        "{\"id\":\"x\",\"ts\":1,\"source\":\"s\",\"features\":[1]}                    | bad_field       | 'features'",
        "{\"id\":\"x\",\"ts\":1,\"source\":\"s\",\"features\":{}}                     | missing_field   | empty",
        "{\"id\":\"x\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":{\"b\":1}}}      | bad_feature     | 'a'",
        "{\"id\":\"x\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":true}}           | bad_feature     | 'a'",
        "{\"id\":\"\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":1}}               | bad_field       | 'id'",
    })
    void rejectsWithASpecificReason(String json, String reason, String mentioned) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> decoder.decode(json.trim()));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }

    @Test
    void invalidJsonSaysWhere() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> decoder.decode("{\"id\": \"x\",,}"));
        assertEquals("invalid_json", e.reason());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void rejectsOversizedAndEmptyPayloads() {
        assertEquals("too_large", assertThrows(InvalidEventException.class,
                () -> decoder.decode(new byte[2048])).reason());
        assertEquals("empty_payload", assertThrows(InvalidEventException.class,
                () -> decoder.decode(new byte[0])).reason());
        assertEquals("empty_payload", assertThrows(InvalidEventException.class,
                () -> decoder.decode((byte[]) null)).reason());
    }

    @Test
    void parserLimitsAreRejectedAsTooComplexNotThrownAsBugs() {
        TelemetryEventDecoder unlimited = new TelemetryEventDecoder(mapper);
        String deep = "{\"id\":\"x\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":1},\"ignored\":"
                + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        String longNumber = "{\"id\":\"x\",\"ts\":1,\"source\":\"s\",\"features\":{\"a\":" + "9".repeat(5_000)
                + "}}";
        for (String json : List.of(deep, longNumber)) {
            InvalidEventException e = assertThrows(InvalidEventException.class, () -> unlimited.decode(json));
            assertEquals("too_complex", e.reason(), e.getMessage());
            assertTrue(e.getMessage().length() < 300, "the reason is short: " + e.getMessage());
        }
    }

    @Test
    void idsAreBoundedAndCannotForgeLogLines() {
        String template = "{\"id\":%s,\"ts\":1,\"source\":\"s\",\"features\":{\"a\":1}}";
        for (String id : List.of("\"a\\nforged\"", "\"" + "x".repeat(257) + "\"", "\"lone \\ud800 surrogate\"")) {
            InvalidEventException e = assertThrows(InvalidEventException.class,
                    () -> decoder.decode(String.format(template, id)));
            assertEquals("bad_field", e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("'id'"), e.getMessage());
        }
        assertEquals("x".repeat(256), decoder.decode(String.format(template, "\"" + "x".repeat(256) + "\"")).id());
        assertEquals("emoji \ud83d\ude00", decoder.decode(String.format(template, "\"emoji \\ud83d\\ude00\""))
                .id(), "a surrogate pair is a character, not a fault");
    }
}
