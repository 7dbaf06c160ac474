package io.recon.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.FeatureRows;
import io.recon.nn.TabularGenerator;

/** A synthetic row in the envelope of a real flow event, marked as synthetic. */
class SyntheticEventFactoryTest {

    @Test
    void anEventCarriesTheRowAndSaysWhereItCameFrom() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        FeatureRows rows = new FeatureRows(List.of("bytes", "proto", "duration"), new boolean[] {true, false, true},
                List.<String[]>of(new String[] {"1500", "tcp", "0.25"}));
        GeneratorSource source = new GeneratorSource("ctgan", "20261203-abcdef12", "models/telemetry-ctgan",
                (TabularGenerator) null);
        RequestStatus request = new RequestStatus("r1", source, "curl-small", "synthetic.telemetry", 1, 10, 7);
        JsonNode event = mapper.readTree(new SyntheticEventFactory(mapper).event(request, 1, rows, 0, 1234L));
        assertEquals("synthetic-ctgan-r1-1", event.get("id").asText());
        assertTrue(event.get("synthetic").asBoolean());
        assertEquals("ctgan", event.at("/generator/name").asText());
        assertEquals("20261203-abcdef12", event.at("/generator/version").asText());
        assertEquals("curl-small", event.get("class").asText());
        assertEquals("r1", event.get("request").asText());
        assertEquals(1234L, event.get("ts").asLong());
        assertTrue(event.at("/features/bytes").isIntegralNumber());
        assertEquals(1500, event.at("/features/bytes").asLong());
        assertEquals("tcp", event.at("/features/proto").asText());
        assertEquals(0.25, event.at("/features/duration").asDouble());
    }
}
