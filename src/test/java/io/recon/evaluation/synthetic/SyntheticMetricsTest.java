package io.recon.evaluation.synthetic;

import io.recon.data.FeatureRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SyntheticMetricsTest {

    private static final List<String> COLUMNS = List.of("bytes", "packets", "proto");
    private static final boolean[] KINDS = {true, true, false};

    @Test
    void ksComplementIsOneForTheSameSampleZeroForDisjointOnesAndCountsTiesOnce() {
        assertEquals(1.0, MarginalFidelity.ksComplement(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        assertEquals(0.0, MarginalFidelity.ksComplement(new double[] {1, 2}, new double[] {5, 6}), 1e-12);
        // F_a jumps to 1/2 at 1 and 1 at 2; F_b to 1/4 at 1, 1 at 2: the largest gap is 1/4.
        assertEquals(0.75, MarginalFidelity.ksComplement(new double[] {1, 2}, new double[] {1, 2, 2, 2}), 1e-12);
    }

    @Test
    void tvComplementComparesCategoryFrequencies() {
        assertEquals(1.0, MarginalFidelity.tvComplement(new String[] {"a", "b"}, new String[] {"b", "a"}), 1e-12);
        assertEquals(0.0, MarginalFidelity.tvComplement(new String[] {"a"}, new String[] {"b", "b"}), 1e-12);
        // p = (1/2, 1/2) against (3/4, 1/4): half the sum of |differences| is 1/4.
        assertEquals(0.75, MarginalFidelity.tvComplement(new String[] {"a", "b"}, new String[] {"a", "a", "a", "b"}),
                1e-12);
    }

    @Test
    void correlationSimilarityDropsWhenARelationIsReversed() {
        FeatureRows real = rows(500, 1, false, 0);
        assertEquals(1.0, CorrelationSimilarity.of(real, real), 1e-12);
        double same = CorrelationSimilarity.of(real, rows(500, 2, false, 0));
        double reversed = CorrelationSimilarity.of(real, rows(500, 2, true, 0));
        assertTrue(same > 0.97, "same relation: " + same);
        assertTrue(reversed < 0.2, "packets fall as bytes rise: " + reversed);
    }

    @Test
    void twoSampleTestCannotTellTwoDrawsApartButSeesAShift() {
        FeatureRows train = rows(800, 1, false, 0);
        RowSpace space = new RowSpace(train);
        double same = TwoSampleTest.auroc(space, rows(600, 2, false, 0), rows(600, 3, false, 0), 600, 7);
        double shifted = TwoSampleTest.auroc(space, rows(600, 2, false, 0), rows(600, 3, false, 1.5), 600, 7);
        assertTrue(Math.abs(same - 0.5) < 0.08, "two draws of one distribution: " + same);
        assertTrue(shifted > 0.75, "a shift of 1.5 standard deviations: " + shifted);
        assertEquals(same, TwoSampleTest.auroc(space, rows(600, 2, false, 0), rows(600, 3, false, 0), 600, 7));
    }

    @Test
    void copiesOfTheTrainingRowsSitAtDistanceZeroNewDrawsDoNot() {
        FeatureRows train = rows(400, 1, false, 0);
        RowSpace space = new RowSpace(train);
        ClosestRecordDistance copies = ClosestRecordDistance.of(space, train, rows(300, 2, false, 0), train);
        assertEquals(1.0, copies.exactCopyShare(), 1e-12);
        assertEquals(0.0, copies.ratio(), 1e-12);
        ClosestRecordDistance fresh = ClosestRecordDistance.of(space, train, rows(300, 2, false, 0),
                rows(300, 3, false, 0));
        // Small whole counts repeat in real rows too: a new draw copies about as often as held-out rows.
        assertEquals(fresh.holdoutCopyShare(), fresh.exactCopyShare(), 0.05);
        assertTrue(fresh.ratio() > 0.7 && fresh.ratio() < 1.4, "a new draw is as far as held-out rows: " + fresh);
    }

    @Test
    void rowSpacePutsNumbersAtTheirPositionAndUnknownCategoriesInOneSlot() {
        FeatureRows ref = new FeatureRows(COLUMNS, KINDS, List.of(new String[] {"10", "1", "tcp"},
                new String[] {"20", "2", "udp"}, new String[] {"30", "3", "tcp"}, new String[] {"40", "4", "tcp"}));
        RowSpace space = new RowSpace(ref);
        assertEquals(2 + 3, space.dimensions());
        double[] v = space.embed(ref.with(List.<String[]>of(new String[] {"20", "100", "icmp"})))[0];
        assertEquals(1.5 / 4, v[0], 1e-12); // one below, one equal
        assertEquals(1.0, v[1], 1e-12); // above every reference value
        assertEquals(Math.sqrt(0.5), v[4], 1e-12); // the slot of categories the reference lacks
    }

    /** Flow-like rows: log-normal bytes, packets tied to bytes (or against them), three protocols. */
    static FeatureRows rows(int n, long seed, boolean reversed, double shift) {
        Random random = new Random(seed);
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double z = random.nextGaussian() + shift;
            long bytes = Math.round(Math.exp(6 + z));
            long packets = Math.max(1, Math.round(Math.exp(2 + (reversed ? -z : z) * 0.9 + 0.3 * random.nextGaussian())));
            String proto = new String[] {"tcp", "tcp", "udp", "icmp"}[random.nextInt(4)];
            out.add(new String[] {Long.toString(bytes), Long.toString(packets), proto});
        }
        return new FeatureRows(COLUMNS, KINDS, out);
    }
}
