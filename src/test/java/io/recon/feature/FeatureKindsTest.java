package io.recon.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.recon.event.InvalidEventException;

/** Declared and inferred column kinds, the signed log transform, and what is rejected and why. */
class FeatureKindsTest {

    @Test
    void signedLogEqualsLog1pOnNonNegativeValuesAndMirrorsNegatives() {
        for (double x : new double[] {0, 1e-9, 0.5, 1, 16, 1e6, 1e300}) {
            assertEquals(Math.log1p(x), FeatureSpec.Transform.LOG1P.apply(x), 0.0, "bit-identical at " + x);
            assertEquals(Math.log1p(x), FeatureSpec.Transform.SIGNED_LOG1P.apply(x), 0.0);
            assertEquals(-Math.log1p(x), FeatureSpec.Transform.SIGNED_LOG1P.apply(-x), 0.0);
            assertEquals(-x, FeatureSpec.Transform.SIGNED_LOG1P.invert(FeatureSpec.Transform.SIGNED_LOG1P.apply(-x)),
                    1e-9 * Math.max(1, x));
        }
        assertEquals(-16.0, FeatureSpec.Transform.IDENTITY.apply(-16.0), 0.0);
    }

    @Test
    void inferenceKeepsTheOldRuleForNonNegativeColumns() {
        assertEquals(new TransformInference.Inferred(FeatureSpec.Transform.LOG1P, ValueKind.COUNT),
                TransformInference.infer(new double[] {0, 3, 40, 7}));
        assertEquals(new TransformInference.Inferred(FeatureSpec.Transform.LOG1P, ValueKind.NUMBER),
                TransformInference.infer(new double[] {0.5, 3.25, 40}));
        assertEquals(FeatureSpec.Transform.IDENTITY, TransformInference.infer(new double[] {0, 0.3, 1}).transform(),
                "fractions stay linear");
    }

    @Test
    void aColumnNegativeOnlyInAFewRowsGetsTheSignedTransform() {
        double[] values = new double[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < 95 ? 100 * i : -16;
        }
        assertEquals(new TransformInference.Inferred(FeatureSpec.Transform.SIGNED_LOG1P, ValueKind.NUMBER),
                TransformInference.infer(values));
    }

    @Test
    void signedColumnsAreLogScaledOnlyWhenHeavyTailed() {
        double[] gaussian = new double[200];
        double[] heavy = new double[200];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < gaussian.length; i++) {
            gaussian[i] = 3 * r.nextGaussian();
            heavy[i] = i == 0 ? -1e6 : -1;
        }
        assertEquals(FeatureSpec.Transform.IDENTITY, TransformInference.infer(gaussian).transform());
        assertEquals(FeatureSpec.Transform.SIGNED_LOG1P, TransformInference.infer(heavy).transform());
    }

    @Test
    void planInfersFromEveryRowAndFitsOnTrainingRows() {
        List<String[]> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(new String[] {Integer.toString(10 * i), i % 2 == 0 ? "tcp" : "udp"});
        }
        all.add(new String[] {"-16", "tcp"}); // an anomaly, not in training
        List<FeaturePlan> plans = FeaturePlanner.plan(List.of("bytes", "proto"), new int[] {0, 1},
                new boolean[] {true, false}, Map.of(), all);
        assertEquals(FeatureSpec.Transform.SIGNED_LOG1P, plans.get(0).transform());
        assertFalse(plans.get(0).declared());
        List<FeatureSpec> specs = FeatureSchemaFitter.fit(plans, all.subList(0, 50));
        assertEquals(0.0, specs.get(0).min(), 0.0, "the range comes from the training rows");
        FeatureEncoder encoder = new FeatureEncoder(specs);
        float[] v = encoder.encode(Map.of("bytes", -16.0, "proto", "tcp"));
        assertTrue(v[0] < -3, "a negative value scores as far below the training values: " + v[0]);
    }

    @Test
    void anInferredCountScoresANegativeValueInsteadOfRejectingIt() {
        FeatureSpec inferred = FeatureSpec.numeric("packets", FeatureSpec.Transform.LOG1P, 2, 1, 0, 100,
                ValueKind.COUNT, false);
        double z = FeatureEncoder.standardise(inferred, -16);
        assertEquals((-Math.log1p(16) - 2) / 1, z, 1e-12);
    }

    @Test
    void aDeclaredSizeRejectsANegativeValueAndSaysWhy() {
        FeatureSpec declared = FeatureSpec.numeric("bytes", FeatureSpec.Transform.LOG1P, 2, 1, 0, 100,
                ValueKind.SIZE, true);
        FeatureEncoder encoder = new FeatureEncoder(List.of(declared));
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> encoder.encode(Map.of("bytes", -16.0)));
        assertEquals("bad_feature", e.reason());
        assertTrue(e.getMessage().contains("'bytes'") && e.getMessage().contains("-16")
                && e.getMessage().contains("size") && e.getMessage().contains("cannot be negative"), e.getMessage());
        // Above the training range is not impossible: it is scored (clipped far out), not rejected.
        assertEquals(FeatureEncoder.CLIP, encoder.encode(Map.of("bytes", 1e300))[0], 0.0);
    }

    @Test
    void declaredKindsChooseTheTransformAndAreCheckedAgainstTheData() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(new String[] {Integer.toString(i * 7), Integer.toString(i), Integer.toString(80 + i % 3)});
        }
        List<FeaturePlan> plans = FeaturePlanner.plan(List.of("bytes", "level", "port"), new int[] {0, 1, 2},
                new boolean[] {true, true, true},
                Map.of("bytes", ValueKind.SIZE, "level", ValueKind.NUMBER, "port", ValueKind.CATEGORY), rows);
        assertEquals(new FeaturePlan("bytes", 0, ValueKind.SIZE, FeatureSpec.Transform.LOG1P, true), plans.get(0));
        assertEquals(new FeaturePlan("level", 1, ValueKind.NUMBER, FeatureSpec.Transform.IDENTITY, true),
                plans.get(1));
        assertEquals(new FeaturePlan("port", 2, ValueKind.CATEGORY, null, true), plans.get(2));

        rows.add(new String[] {"-3", "0", "80"});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeaturePlanner.plan(
                List.of("bytes"), new int[] {0}, new boolean[] {true}, Map.of("bytes", ValueKind.DURATION), rows));
        assertTrue(e.getMessage().contains("'bytes'") && e.getMessage().contains("duration"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeaturePlanner.plan(List.of("proto"), new int[] {0},
                new boolean[] {false}, Map.of("proto", ValueKind.COUNT), rows));
    }

    @Test
    void kindsAreRecordedInTheManifestAndOldSpecsStillLoad() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        FeatureSpec spec = FeatureSpec.numeric("bytes", FeatureSpec.Transform.LOG1P, 2, 1, 0, 100, ValueKind.SIZE,
                true);
        String json = mapper.writeValueAsString(spec);
        assertTrue(json.contains("\"valueKind\":\"SIZE\"") && json.contains("\"declared\":true"), json);
        assertEquals(spec, mapper.readValue(json, FeatureSpec.class));

        FeatureSpec old = mapper.readValue("{\"name\":\"bytes\",\"kind\":\"NUMERIC\",\"transform\":\"LOG1P\","
                + "\"center\":2.0,\"scale\":1.0,\"min\":0.0,\"max\":100.0}", FeatureSpec.class);
        assertEquals(null, old.valueKind());
        assertFalse(old.rejectsNegative(), "a bundle without kinds scores negatives");
        assertEquals(Math.log1p(5) - 2, FeatureEncoder.standardise(old, 5), 0.0, "and scores the rest as before");
        assertFalse(mapper.writeValueAsString(old).contains("valueKind"), "and writes back unchanged");
    }

    @Test
    void kindNamesParseAsUsersWriteThem() {
        assertEquals(ValueKind.SIZE, ValueKind.parse(" Bytes "));
        assertEquals(ValueKind.COUNT, ValueKind.parse("counts"));
        assertEquals(ValueKind.CATEGORY, ValueKind.parse("categorical"));
        assertEquals(ValueKind.NUMBER, ValueKind.parse("numeric"));
        assertThrows(IllegalArgumentException.class, () -> ValueKind.parse("colour"));
    }
}
