package io.recon.evaluation.synthetic;

import io.recon.data.FeatureRows;
import java.util.Arrays;
import java.util.List;

/**
 * Whether synthetic rows keep how numeric columns move together: for every pair of numeric columns,
 * 1 - |rho_real - rho_synthetic| / 2 with Spearman's rank correlation rho (rank-based, because flow
 * counters are heavy-tailed and a few huge values would rule Pearson's), averaged over the pairs.
 * 1 when every pair correlates as in the real rows, 0 when every sign is flipped at full strength.
 */
public final class CorrelationSimilarity {

    private CorrelationSimilarity() {
    }

    /** The mean over pairs of numeric columns; 1 when there are fewer than two. */
    public static double of(FeatureRows real, FeatureRows synthetic) {
        List<Integer> columns = real.numericColumns();
        double[][] realRanks = new double[columns.size()][];
        double[][] synthRanks = new double[columns.size()][];
        for (int k = 0; k < columns.size(); k++) {
            realRanks[k] = ranks(real.numbers(columns.get(k)));
            synthRanks[k] = ranks(synthetic.numbers(columns.get(k)));
        }
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < columns.size(); a++) {
            for (int b = a + 1; b < columns.size(); b++) {
                sum += 1 - Math.abs(pearson(realRanks[a], realRanks[b]) - pearson(synthRanks[a], synthRanks[b])) / 2;
                pairs++;
            }
        }
        return pairs == 0 ? 1 : sum / pairs;
    }

    /** Ranks from 1, ties given their mean rank. */
    static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(values[p], values[q]));
        double[] out = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                out[order[k]] = rank;
            }
            i = j + 1;
        }
        return out;
    }

    /** Pearson's correlation; 0 when either side is constant (no correlation to keep). */
    static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
