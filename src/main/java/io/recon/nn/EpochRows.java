package io.recon.nn;

import java.util.List;

/**
 * The training rows of one epoch, each a flat float vector of the model's input width. A caller
 * can hand out freshly augmented copies every epoch (a single CT volume has only ~100 slices) or
 * the same rows every time.
 */
@FunctionalInterface
public interface EpochRows {

    /** Rows for epoch {@code epoch} (0-based). */
    List<float[]> forEpoch(int epoch);

    /** The same rows every epoch. */
    static EpochRows fixed(List<float[]> rows) {
        return epoch -> rows;
    }
}
