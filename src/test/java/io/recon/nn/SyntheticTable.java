package io.recon.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.recon.data.FeatureRows;

/**
 * A small table whose columns depend on the class, the way flows depend on their generator: a
 * bimodal number (modes at 0 and 10; class "a" mostly low, "b" mostly high), a count (Poisson, mean
 * 0.3 for "a", mostly zeros, and 3 for "b"), a protocol (mostly tcp for "a", udp for "b") and a
 * constant. Shared by the generators' tests.
 */
public final class SyntheticTable {

    /** Probability of the high mode, count mean and tcp share per class. */
    public static final double HIGH_A = 0.2;
    public static final double HIGH_B = 0.8;
    public static final double COUNT_A = 0.3;
    public static final double COUNT_B = 3;

    public final FeatureRows rows;
    public final List<String> classOfRow;

    private SyntheticTable(FeatureRows rows, List<String> classOfRow) {
        this.rows = rows;
        this.classOfRow = classOfRow;
    }

    /** {@code perClass} rows of each class. */
    public static SyntheticTable of(int perClass, long seed) {
        Random random = new Random(seed);
        List<String[]> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (String cls : List.of("a", "b")) {
            boolean a = cls.equals("a");
            for (int i = 0; i < perClass; i++) {
                boolean high = random.nextDouble() < (a ? HIGH_A : HIGH_B);
                double value = (high ? 10 : 0) + random.nextGaussian();
                double u = random.nextDouble();
                String proto = a ? (u < 0.8 ? "tcp" : u < 0.95 ? "udp" : "icmp") : (u < 0.2 ? "tcp" : "udp");
                rows.add(new String[] {String.format(Locale.ROOT, "%.4f", value),
                    Integer.toString(poisson(random, a ? COUNT_A : COUNT_B)), proto, "7"});
                classes.add(cls);
            }
        }
        return new SyntheticTable(new FeatureRows(List.of("bimodal", "count", "proto", "constant"),
                new boolean[] {true, true, false, true}, rows), classes);
    }

    private static int poisson(Random random, double mean) {
        double p = Math.exp(-mean);
        double cumulative = p;
        double u = random.nextDouble();
        int k = 0;
        while (u > cumulative) {
            k++;
            p *= mean / k;
            cumulative += p;
        }
        return k;
    }
}
