package io.recon.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Methods compared over several data sets by one figure each (AUROC): the mean figure per method
 * and the mean rank, rank 1 the best on a data set and tied methods sharing the mean of their
 * ranks, as benchmark papers report them (a mean over data sets alone lets one easy table decide).
 */
public final class MethodRanking {

    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private final Map<String, List<Double>> ranks = new LinkedHashMap<>();

    /** Adds one data set's figures, method to figure, higher better; every data set must name the same methods. */
    public void add(Map<String, Double> byMethod) {
        if (!figures.isEmpty() && !figures.keySet().equals(byMethod.keySet())) {
            throw new IllegalArgumentException("methods " + byMethod.keySet() + " differ from " + figures.keySet());
        }
        for (Map.Entry<String, Double> e : byMethod.entrySet()) {
            double better = 0;
            double equal = 0;
            for (double other : byMethod.values()) {
                better += other > e.getValue() ? 1 : 0;
                equal += other == e.getValue() ? 1 : 0;
            }
            // ranks better + 1 .. better + equal, shared
            ranks.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(better + (equal + 1) / 2);
            figures.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /** Mean figure of each method, in the order methods were first added. */
    public Map<String, Double> meanFigure() {
        return means(figures);
    }

    /** Mean rank of each method (1 = best on every data set). */
    public Map<String, Double> meanRank() {
        return means(ranks);
    }

    private static Map<String, Double> means(Map<String, List<Double>> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((method, list) -> out.put(method, list.stream().mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN)));
        return out;
    }
}
