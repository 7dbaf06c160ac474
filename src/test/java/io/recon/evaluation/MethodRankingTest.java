package io.recon.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MethodRankingTest {

    @Test
    void averagesFiguresAndRanksWithTiesSharingTheirRanks() {
        MethodRanking ranking = new MethodRanking();
        ranking.add(figures(0.9, 0.8, 0.7));
        ranking.add(figures(0.6, 0.9, 0.9)); // b and c tie for first: rank 1.5 each
        assertEquals(0.75, ranking.meanFigure().get("a"), 1e-12);
        assertEquals(2.0, ranking.meanRank().get("a"), 1e-12); // 1, then 3
        assertEquals(1.75, ranking.meanRank().get("b"), 1e-12); // 2, then 1.5
        assertEquals(2.25, ranking.meanRank().get("c"), 1e-12); // 3, then 1.5
    }

    @Test
    void refusesADataSetWithOtherMethods() {
        MethodRanking ranking = new MethodRanking();
        ranking.add(figures(0.9, 0.8, 0.7));
        assertThrows(IllegalArgumentException.class, () -> ranking.add(Map.of("a", 0.5)));
    }

    private static Map<String, Double> figures(double a, double b, double c) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        m.put("c", c);
        return m;
    }
}
