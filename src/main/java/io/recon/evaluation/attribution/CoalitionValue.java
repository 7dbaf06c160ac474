package io.recon.evaluation.attribution;

import java.util.List;

/** The value of a game for each of a batch of encoded rows (a row stands for one coalition). */
@FunctionalInterface
public interface CoalitionValue {

    /** One value per row, in order. */
    double[] of(List<float[]> rows);
}
