package io.recon.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.data.FeatureRows;
import io.recon.imaging.GrayImage;
import io.recon.imaging.codec.PngImageDecoder;
import io.recon.nn.TabularGenerator;

/** A synthetic row in the envelope of a real flow event, marked as synthetic. */
class SyntheticEventFactoryTest {

    @Test
    void anEventCarriesTheRowAndSaysWhereItCameFrom() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        FeatureRows rows = new FeatureRows(List.of("bytes", "proto", "duration"), new boolean[] {true, false, true},
                List.<String[]>of(new String[] {"1500", "tcp", "0.25"}));
        GeneratorSource source = GeneratorSource.ofRows("ctgan", "20261203-abcdef12", "models/telemetry-ctgan",
                new FixedRows());
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

    @Test
    void anImageEventCarriesAPngOfTheImageInTheImagingEnvelope() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        float[] pixels = new float[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 28) / 27f;
        }
        GeneratorSource source = GeneratorSource.ofRows("dcgan", "20261203-0badc0de", "models/imaging-dcgan-fashion-1",
                new FixedRows());
        RequestStatus request = new RequestStatus("r2", source, "Trouser", "synthetic.imaging", 1, 10, 7);
        JsonNode event = mapper.readTree(new SyntheticEventFactory(mapper).imageEvent(request, 3, pixels, 28, "OT",
                99L));
        assertEquals("synthetic-dcgan-r2-3", event.get("id").asText());
        assertTrue(event.get("synthetic").asBoolean());
        assertEquals("dcgan", event.at("/generator/name").asText());
        assertEquals("Trouser", event.get("class").asText());
        assertEquals("OT", event.get("modality").asText());
        assertEquals("png", event.get("encoding").asText());
        GrayImage decoded = new PngImageDecoder().decode(Base64.getDecoder().decode(event.get("data").asText()));
        assertEquals(28, decoded.width());
        assertEquals(28, decoded.height());
        for (int i = 0; i < pixels.length; i++) {
            assertEquals(Math.round(pixels[i] * 255) / 255f, decoded.pixels()[i], 1e-6, "pixel " + i);
        }
    }

    /** A model that is never asked for rows: the factory reads only the source's name and version. */
    private static final class FixedRows implements TabularGenerator {
        @Override
        public String kind() {
            return "ctgan";
        }

        @Override
        public List<String> classes() {
            return List.of("curl-small");
        }

        @Override
        public FeatureRows sample(String cls, int count, long seed) {
            throw new UnsupportedOperationException("not sampled in this test");
        }

        @Override
        public void close() {
        }
    }
}
