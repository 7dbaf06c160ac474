package io.recon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class TelemetryEventDecoderTest {

    private final TelemetryEventDecoder decoder = new TelemetryEventDecoder(new ObjectMapper(), 1024);

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
}
