package io.recon.nn.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.recon.data.FeatureRows;
import io.recon.nn.SyntheticTable;

/** Mode-specific normalisation and the row codec: modes found, values and cells round-trip. */
class ModeSpecificNormalizerTest {

    @Test
    void findsTheTwoModesOfABimodalColumn() {
        Random random = new Random(1);
        double[] values = new double[3000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 10 < 3 ? 5 + 0.5 * random.nextGaussian() : 40 + 2 * random.nextGaussian();
        }
        ModeSpecificNormalizer n = ModeSpecificNormalizer.fit(values);
        assertEquals(2, n.modes(), n.toString());
        assertEquals(5, n.means()[0], 0.1, n.toString());
        assertEquals(40, n.means()[1], 0.2, n.toString());
        assertEquals(0.5, n.sds()[0], 0.05, n.toString());
        assertEquals(2, n.sds()[1], 0.2, n.toString());
        assertEquals(0.3, n.weights()[0], 0.02, n.toString());
        assertEquals(3, n.width());
        assertTrue(!n.whole());
    }

    @Test
    void valuesRoundTripThroughTheirEncoding() {
        Random random = new Random(2);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? -3 + random.nextGaussian() : 7 + 0.3 * random.nextGaussian();
        }
        ModeSpecificNormalizer n = ModeSpecificNormalizer.fit(values);
        Random modes = new Random(3);
        int exact = 0;
        for (double v : values) {
            float[] encoded = new float[n.width()];
            n.encode(v, modes, encoded, 0);
            assertTrue(Math.abs(encoded[0]) <= 0.99f, "alpha " + encoded[0]);
            double back = n.decode(encoded, 0);
            assertTrue(back >= n.min() && back <= n.max());
            if (Math.abs(back - v) < 1e-5) { // alpha is a float: about 7 digits of 4 sigma
                exact++;
            }
        }
        // Only a value whose sampled mode lies far away (posterior smoothing, 1e-6 a mode) is clipped.
        assertTrue(exact >= values.length - 2, exact + " of " + values.length + " round-tripped");
    }

    @Test
    void aCountOfMostlyZerosStaysWholeAndNonNegative() {
        Random random = new Random(4);
        double[] counts = new double[1000];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = random.nextDouble() < 0.9 ? 0 : 1 + random.nextInt(4);
        }
        ModeSpecificNormalizer n = ModeSpecificNormalizer.fit(counts);
        assertTrue(n.whole());
        assertEquals(0, n.means()[0], 1e-9, "a mode on the zeros: " + n);
        assertTrue(n.sds()[0] < 0.01, "its spread floored, not zero: " + n);
        Random modes = new Random(5);
        for (double v : counts) {
            float[] encoded = new float[n.width()];
            n.encode(v, modes, encoded, 0);
            assertEquals(v, n.decode(encoded, 0));
        }
        // Whatever the generator says, a count decodes whole and within the training range.
        float[] extreme = new float[n.width()];
        extreme[0] = -1;
        extreme[1] = 1;
        assertEquals(0, n.decode(extreme, 0));
        assertEquals("0", n.format(n.decode(extreme, 0)));
        for (int mode = 0; mode < n.modes(); mode++) {
            for (float alpha : new float[] {-1, -0.3f, 0.4f, 1}) {
                float[] e = new float[n.width()];
                e[0] = alpha;
                e[1 + mode] = 1;
                double x = n.decode(e, 0);
                assertEquals(Math.rint(x), x);
                assertTrue(x >= 0 && x <= 4, "decoded " + x);
            }
        }
    }

    @Test
    void aConstantColumnTakesNoWidth() {
        ModeSpecificNormalizer n = ModeSpecificNormalizer.fit(new double[] {3, 3, 3});
        assertEquals(0, n.width());
        assertEquals(3, n.decode(new float[0], 0));
        assertEquals("3", n.format(3));
    }

    @Test
    void theSameSeedDrawsTheSameModes() {
        double[] values = {0, 0.5, 1, 1.5, 2, 10, 10.5, 11, 5, 5.5, 6};
        ModeSpecificNormalizer n = ModeSpecificNormalizer.fit(values);
        float[] first = new float[values.length * n.width()];
        float[] second = new float[values.length * n.width()];
        Random a = new Random(9);
        Random b = new Random(9);
        for (int i = 0; i < values.length; i++) {
            n.encode(values[i], a, first, i * n.width());
            n.encode(values[i], b, second, i * n.width());
        }
        assertArrayEquals(first, second);
    }

    @Test
    void rowsRoundTripThroughTheRowCodec() {
        SyntheticTable table = SyntheticTable.of(50, 6);
        RowCodec codec = RowCodec.fit(table.rows);
        assertEquals(List.of("bimodal", "count", "proto", "constant"), codec.names());
        assertEquals(List.of("icmp", "tcp", "udp"), codec.columns().get(2).categories());
        assertEquals(0, codec.columns().get(3).encodedWidth(), "a constant takes no width");
        List<Span> spans = codec.spans();
        assertEquals(codec.width(), spans.get(spans.size() - 1).end());
        assertEquals(Span.Kind.ALPHA, spans.get(0).kind());
        Random modes = new Random(7);
        FeatureRows rows = table.rows;
        for (int r = 0; r < rows.size(); r++) {
            String[] back = codec.decode(codec.encode(rows, r, modes));
            String[] row = rows.rows().get(r);
            assertEquals(Double.parseDouble(row[0]), Double.parseDouble(back[0]), 1e-4);
            assertEquals(row[1], back[1]);
            assertEquals(row[2], back[2]);
            assertEquals("7", back[3]);
        }
    }
}
