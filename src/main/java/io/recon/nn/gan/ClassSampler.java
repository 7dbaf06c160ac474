package io.recon.nn.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CTGAN's training by sampling, over the row's class: a class drawn with probability proportional
 * to log(1 + its rows), then one of its rows uniformly. Rare classes (a service seen 11 times) are
 * then trained on far more often than their share of rows, without drowning the common ones.
 */
final class ClassSampler {

    private final int[][] rowsOfClass;
    private final double[] cumulative;

    /** @param classOfRow per training row, its class's index among {@code classes} classes */
    ClassSampler(int classes, int[] classOfRow) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int r = 0; r < classOfRow.length; r++) {
            byClass.get(classOfRow[r]).add(r);
        }
        rowsOfClass = new int[classes][];
        cumulative = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
            rowsOfClass[c] = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            total += Math.log1p(rowsOfClass[c].length);
            cumulative[c] = total;
        }
        for (int c = 0; c < classes; c++) {
            cumulative[c] /= total;
        }
    }

    /** A class index, by log-frequency. */
    int drawClass(Random random) {
        double u = random.nextDouble();
        for (int c = 0; c < cumulative.length; c++) {
            if (u < cumulative[c]) {
                return c;
            }
        }
        return cumulative.length - 1;
    }

    /** A training row of class {@code cls}, uniformly. */
    int drawRow(int cls, Random random) {
        int[] rows = rowsOfClass[cls];
        return rows[random.nextInt(rows.length)];
    }
}
