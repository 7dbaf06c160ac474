package io.recon.feature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.recon.event.InvalidEventException;

class FeatureEncoderTest {

    private final FeatureEncoder encoder = new FeatureEncoder(List.of(
            FeatureSpec.numeric("bytes", FeatureSpec.Transform.LOG1P, Math.log1p(100), 1.0),
            FeatureSpec.numeric("ratio", FeatureSpec.Transform.IDENTITY, 0.5, 0.25),
            FeatureSpec.categorical("proto", List.of("tcp", "udp"))));

    @Test
    void encodesNumbersAndOneHot() {
        float[] v = encoder.encode(Map.of("bytes", 100.0, "ratio", 1.0, "proto", "udp"));
        assertEquals(5, encoder.width());
        assertArrayEquals(new float[] {0f, 2f, 0f, 1f, 0f}, v, 1e-6f);
    }

    @Test
    void unseenCategoriesGoToOther() {
        float[] v = encoder.encode(Map.of("bytes", 100.0, "ratio", 0.5, "proto", "icmp"));
        assertEquals(1f, v[4]);
        assertEquals(FeatureEncoder.OTHER, encoder.categoryAt(2, 2));
    }

    @Test
    void extraFeaturesAreIgnoredMissingOnesRejected() {
        encoder.encode(Map.of("bytes", 1.0, "ratio", 0.5, "proto", "tcp", "extra", 3.0));
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> encoder.encode(Map.of("bytes", 1.0, "proto", "tcp")));
        assertEquals("missing_feature", e.reason());
        assertTrue(e.getMessage().contains("'ratio'"));
    }

    @Test
    void typeAndRangeErrorsAreSpecific() {
        assertEquals("bad_feature", assertThrows(InvalidEventException.class,
                () -> encoder.encode(Map.of("bytes", "lots", "ratio", 0.5, "proto", "tcp"))).reason());
    }

    @Test
    void undeclaredLogFeaturesScoreNegativeValuesInsteadOfRejectingThem() {
        // A bundle whose manifest says LOG1P without a declared kind (every bundle written before kinds
        // were recorded): a negative value was never seen in training, so it is scored, mirrored.
        float[] v = encoder.encode(Map.of("bytes", -100.0, "ratio", 0.5, "proto", "tcp"));
        assertEquals((float) (-2 * Math.log1p(100)), v[0], 1e-5f);
    }

    @Test
    void extremeValuesAreClipped() {
        float[] v = encoder.encode(Map.of("bytes", 1e300, "ratio", 1e9, "proto", "tcp"));
        assertEquals(FeatureEncoder.CLIP, v[0], 1e-6);
        assertEquals(FeatureEncoder.CLIP, v[1], 1e-6);
    }

    @Test
    void mapsBackToOriginalUnits() {
        assertEquals(100.0, encoder.toOriginalUnits(0, 0.0), 1e-9);
        assertEquals(0.0, encoder.toOriginalUnits(0, -40.0), 1e-9, "counts are never expected below zero");
        assertEquals(1.0, encoder.toOriginalUnits(1, 2.0), 1e-9);
        assertEquals(2, encoder.featureOfColumn(3));
        assertEquals(2, encoder.offset(2));
    }

    @Test
    void fitterLogTransformsCountsAndKeepsFractions() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(new String[] {Integer.toString(i * i), Double.toString(i / 100.0), i % 3 == 0 ? "udp" : "tcp",
                "7"});
        }
        rows.add(new String[] {"5", "0.5", "sctp", "7"});
        List<FeatureSpec> specs = FeatureSchemaFitter.fit(List.of("bytes", "ratio", "proto", "constant"),
                new boolean[] {true, true, false, true}, rows, new int[] {0, 1, 2, 3});
        assertEquals(FeatureSpec.Transform.LOG1P, specs.get(0).transform());
        assertEquals(FeatureSpec.Transform.IDENTITY, specs.get(1).transform());
        assertEquals(List.of("tcp", "udp"), specs.get(2).categories(), "a category seen once shares 'other'");
        assertEquals(FeatureSchemaFitter.MIN_SCALE, specs.get(3).scale(), 1e-12, "constants get the floor scale");
        assertEquals(0.0, specs.get(1).min(), 1e-12);
        assertEquals(0.99, specs.get(1).max(), 1e-12);
        FeatureEncoder fitted = new FeatureEncoder(specs);
        assertEquals(0.0, fitted.toOriginalUnits(1, -50), 1e-12, "expected values stay in the training range");
        assertEquals(7.0, fitted.toOriginalUnits(3, 3), 1e-12);
    }
}
