package io.recon.nn;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The training rows of one epoch, each a flat float vector of the model's input width, the same
 * number every epoch (the learning-rate schedule is laid out over the run's steps in advance). A
 * caller can hand out freshly augmented copies every epoch (a single CT volume has only ~100 slices)
 * or the same rows every time.
 */
public interface EpochRows {

    /** Rows for epoch {@code epoch} (0-based); always {@link #rowsPerEpoch()} of them. */
    List<float[]> forEpoch(int epoch);

    /** How many rows every epoch has. */
    int rowsPerEpoch();

    /** The same rows every epoch. */
    static EpochRows fixed(List<float[]> rows) {
        return regenerated(rows.size(), epoch -> rows);
    }

    /** {@code rowsPerEpoch} rows built afresh for each epoch by {@code rowsOfEpoch}. */
    static EpochRows regenerated(int rowsPerEpoch, IntFunction<List<float[]>> rowsOfEpoch) {
        return new EpochRows() {
            @Override
            public List<float[]> forEpoch(int epoch) {
                List<float[]> rows = rowsOfEpoch.apply(epoch);
                if (rows.size() != rowsPerEpoch) {
                    throw new IllegalStateException("epoch " + (epoch + 1) + " has " + rows.size()
                            + " rows, expected " + rowsPerEpoch);
                }
                return rows;
            }

            @Override
            public int rowsPerEpoch() {
                return rowsPerEpoch;
            }
        };
    }
}
