package io.recon.feature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Quantile normalisation ({@code train --normalisation quantile}): training values spread out as
 * normal scores, ties at the middle of their run, and values beyond the training range still move
 * away linearly, so an anomaly is scored as one and not clamped to the range's edge.
 */
class QuantileNormalisationTest {

    @Test
    void trainingValuesBecomeNormalScoresOfTheirPlace() {
        QuantileScale q = new QuantileScale(QuantileScale.knotsOf(sorted(1001, i -> i)), 100);
        assertEquals(0.0, q.standardise(500), 1e-12, "the median scores 0");
        assertEquals(-1.6449, q.standardise(50), 0.01, "the 5th percentile about the normal's");
        assertEquals(1.6449, q.standardise(950), 0.01);
        assertEquals(3.09, q.standardise(1000), 0.01, "the largest training value at the edge (p = 0.999)");
        double previous = Double.NEGATIVE_INFINITY;
        for (double v = -300; v <= 1300; v += 0.7) {
            double z = q.standardise(v);
            assertTrue(z > previous, "strictly increasing on distinct knots, at " + v);
            previous = z;
        }
    }

    @Test
    void beyondTheTrainingRangeScoresGrowOneUnitPerSpread() {
        QuantileScale q = new QuantileScale(QuantileScale.knotsOf(sorted(1001, i -> i)), 100);
        double edge = q.standardise(1000);
        assertEquals(edge + 10, q.standardise(2000), 1e-9, "ten spreads above the largest value");
        assertEquals(-edge - 3, q.standardise(-300), 1e-9);
    }

    @Test
    void tiedValuesSitAtTheMiddleOfTheirRun() {
        // 70% zeros then 1..300: knots 0..69 (of 101) are zero, so zero sits at the 34.5th
        // percentile, not at the 0th or the 69th.
        double[] values = sorted(1000, i -> i < 700 ? 0 : i - 699);
        QuantileScale q = new QuantileScale(QuantileScale.knotsOf(values), RobustScale.of(values));
        assertEquals(-0.398, q.standardise(0), 0.001);
        assertTrue(q.standardise(1) > 0.5, "the first non-zero value is above every zero's score");
    }

    @Test
    void invertUndoesStandardiseInsideAndBeyondTheRange() {
        double[] values = sorted(500, i -> Math.exp(i / 60.0));
        QuantileScale q = new QuantileScale(QuantileScale.knotsOf(values), RobustScale.of(values));
        for (double v : new double[] {-50, 1, 1.5, 3.3, 20, 400, 4000, 9000}) {
            assertEquals(v, q.invert(q.standardise(v)), 1e-6 * Math.max(1, Math.abs(v)), "at " + v);
        }
    }

    @Test
    void theFitterKeepsTheTransformAndTheManifestRoundTrips() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new String[] {Integer.toString(i % 50 == 0 ? 100_000 : i), i % 3 == 0 ? "udp" : "tcp"});
        }
        List<FeaturePlan> plans = List.of(new FeaturePlan("bytes", 0, ValueKind.COUNT,
                FeatureSpec.Transform.LOG1P, false), new FeaturePlan("proto", 1, ValueKind.CATEGORY, null, false));
        List<FeatureSpec> specs = FeatureSchemaFitter.fit(plans, rows, Normalisation.QUANTILE);
        assertEquals(QuantileScale.MAX_KNOTS, specs.get(0).quantiles().size());
        assertEquals(Math.log1p(100_000), specs.get(0).quantiles().get(QuantileScale.MAX_KNOTS - 1), 1e-9,
                "knots are in the transform's units");
        assertNull(specs.get(1).quantiles(), "categories stay one-hot");
        assertNull(FeatureSchemaFitter.fit(plans, rows).get(0).quantiles(), "robust is the default");

        ObjectMapper json = new ObjectMapper();
        FeatureSpec read = json.readValue(json.writeValueAsString(specs.get(0)), FeatureSpec.class);
        assertEquals(specs.get(0), read);
        FeatureEncoder encoder = new FeatureEncoder(List.of(read, specs.get(1)));
        float median = encoder.encode(Map.of("bytes", 150, "proto", "tcp"))[0];
        float huge = encoder.encode(Map.of("bytes", 10_000_000, "proto", "tcp"))[0];
        assertEquals(0.0, median, 0.05);
        assertTrue(huge > 3.09 + 2, "100 times the largest training value lies well past the edge: " + huge);
        assertEquals(150, encoder.toOriginalUnits(0, median), 2.0, "expected values read back in bytes");
    }

    @Test
    void unknownNamesAndTooFewKnotsAreRefused() {
        assertEquals(Normalisation.QUANTILE, Normalisation.parse(" Quantile"));
        assertThrows(IllegalArgumentException.class, () -> Normalisation.parse("minmax"));
        assertThrows(IllegalArgumentException.class, () -> new QuantileScale(List.of(1.0), 1));
        assertThrows(IllegalArgumentException.class, () -> new QuantileScale(List.of(2.0, 1.0), 1));
        assertThrows(IllegalArgumentException.class, () -> new QuantileScale(List.of(1.0, 2.0), 0));
        assertThrows(IllegalArgumentException.class,
                () -> FeatureSpec.categorical("proto", List.of("tcp")).withQuantiles(List.of(0.0, 1.0)));
        FeatureSpec noScale = new FeatureSpec("bytes", FeatureSpec.Kind.NUMERIC, FeatureSpec.Transform.LOG1P, 0.0,
                null, null, null, null, null, null, List.of(0.0, 1.0));
        IllegalArgumentException edited = assertThrows(IllegalArgumentException.class,
                () -> new FeatureEncoder(List.of(noScale)), "a hand-edited manifest is refused when it loads");
        assertTrue(edited.getMessage().contains("'bytes' has quantiles but no scale"), edited.getMessage());
    }

    private static double[] sorted(int n, java.util.function.IntToDoubleFunction f) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = f.applyAsDouble(i);
        }
        java.util.Arrays.sort(v);
        return v;
    }
}
