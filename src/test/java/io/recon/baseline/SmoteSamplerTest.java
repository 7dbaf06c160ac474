package io.recon.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.recon.data.FeatureRows;

class SmoteSamplerTest {

    private static final FeatureRows REAL = new FeatureRows(List.of("bytes", "duration", "proto"),
            new boolean[] {true, true, false}, List.of(
                    new String[] {"100", "0.5", "tcp"}, new String[] {"120", "0.7", "tcp"},
                    new String[] {"5000", "2.5", "udp"}, new String[] {"5200", "3.0", "udp"},
                    new String[] {"110", "0.6", "tcp"}, new String[] {"5100", "2.8", "udp"}));

    @Test
    void rowsFitTheSchemaStayInsideTheRealRangeAndKeepCountsWhole() {
        FeatureRows synthetic = new SmoteSampler(REAL).sample(500, 3);
        assertEquals(500, synthetic.size());
        assertEquals(REAL.names(), synthetic.names());
        for (String[] row : synthetic.rows()) {
            long bytes = Long.parseLong(row[0]); // whole, because every real value is
            double duration = Double.parseDouble(row[1]);
            assertTrue(bytes >= 100 && bytes <= 5200, Arrays.toString(row));
            assertTrue(duration >= 0.5 && duration <= 3.0, Arrays.toString(row));
            assertTrue(Set.of("tcp", "udp").contains(row[2]), Arrays.toString(row));
        }
    }

    @Test
    void theSameSeedGivesTheSameRowsAndAnotherSeedOthers() {
        SmoteSampler smote = new SmoteSampler(REAL);
        List<String> a = smote.sample(50, 11).rows().stream().map(Arrays::toString).toList();
        List<String> b = smote.sample(50, 11).rows().stream().map(Arrays::toString).toList();
        List<String> c = smote.sample(50, 12).rows().stream().map(Arrays::toString).toList();
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }

    @Test
    void neighboursComeFromTheSameClusterSoNoRowFallsBetweenClusters() {
        // Two clusters of 12 rows: each row's 5 nearest neighbours share its cluster, so no new row
        // lies between them (bytes 200 to 5000), where random pairs would put half of them.
        List<String[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add(new String[] {Integer.toString(100 + 5 * i), "0.5", "tcp"});
            rows.add(new String[] {Integer.toString(5000 + 5 * i), "2.5", "udp"});
        }
        long between = new SmoteSampler(REAL.with(rows)).sample(400, 5).rows().stream()
                .mapToLong(r -> Long.parseLong(r[0])).filter(bytes -> bytes > 200 && bytes < 5000).count();
        assertEquals(0, between);
    }

    @Test
    void oneRowIsNotEnough() {
        assertThrows(IllegalArgumentException.class, () -> new SmoteSampler(REAL.with(List.<String[]>of(REAL.rows().get(0)))));
    }
}
