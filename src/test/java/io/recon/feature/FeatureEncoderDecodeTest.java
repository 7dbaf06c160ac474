package io.recon.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FeatureEncoderDecodeTest {

    @Test
    void aDecodedRowGivesBackTheCellsThatWereEncoded() {
        FeatureEncoder encoder = new FeatureEncoder(List.of(
                FeatureSpec.numeric("bytes", FeatureSpec.Transform.LOG1P, 6.0, 2.0, 0, 1e9, ValueKind.SIZE, true),
                FeatureSpec.numeric("rate", FeatureSpec.Transform.IDENTITY, 10.0, 5.0, 0, 100, ValueKind.NUMBER, true),
                FeatureSpec.categorical("proto", List.of("tcp", "udp"))));
        float[] encoded = encoder.encode(Map.of("bytes", 1500, "rate", 12.5, "proto", "udp"));
        assertArrayEquals(new String[] {"1500", "12.5", "udp"}, encoder.decode(encoded));
        // A generator's one-hot block need not be one-hot: the largest slot names the category.
        encoded[encoder.offset(2)] = 0.6f;
        encoded[encoder.offset(2) + 1] = 0.3f;
        assertEquals("tcp", encoder.decode(encoded)[2]);
    }
}
