package io.recon.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.recon.data.LabelledTable;
import io.recon.feature.FeatureEncoder;

/**
 * Held-out normal rows with one known cause planted in each ({@link FeatureCorruption}), encoded for
 * the model, and which feature was changed in each.
 *
 * @param rows   the corrupted rows, encoded
 * @param causes per row, the changed feature's index
 */
record PlantedCauses(List<float[]> rows, List<Integer> causes) {

    /** Donor rows drawn per corrupted row for {@link FeatureCorruption#OTHER_CLASS_VALUE}. */
    private static final int DONOR_DRAWS = 50;

    /**
     * Corrupts up to {@code wanted} distinct rows of {@code heldOut}, visited in a random order (each at
     * most once); rows this corruption cannot change are skipped.
     *
     * @param table    the labelled table, feature columns in the encoder's order
     * @param training indexes of training rows (donors of another class's values)
     * @param heldOut  indexes of the held-out normal rows to corrupt
     */
    static PlantedCauses plant(FeatureCorruption kind, LabelledTable table, List<Integer> training,
            List<Integer> heldOut, int wanted, FeatureEncoder encoder, Random random) {
        int[] columns = table.featureColumns();
        int[] identity = new int[columns.length];
        for (int c = 0; c < identity.length; c++) {
            identity[c] = c;
        }
        List<Integer> order = new ArrayList<>(heldOut);
        Collections.shuffle(order, random);
        List<float[]> encoded = new ArrayList<>();
        List<Integer> causes = new ArrayList<>();
        for (int n = 0; n < order.size() && encoded.size() < wanted; n++) {
            int i = order.get(n);
            String[] cells = cells(table, i, columns);
            List<String[]> donors = new ArrayList<>();
            for (int t = 0; t < DONOR_DRAWS; t++) {
                int d = training.get(random.nextInt(training.size()));
                if (!table.group(d).equals(table.group(i))) {
                    donors.add(cells(table, d, columns));
                }
            }
            int cause = kind.apply(cells, encoder.specs(), donors, random);
            if (cause >= 0) {
                encoded.add(encoder.encodeCells(cells, identity));
                causes.add(cause);
            }
        }
        return new PlantedCauses(encoded, causes);
    }

    private static String[] cells(LabelledTable table, int row, int[] columns) {
        String[] out = new String[columns.length];
        for (int c = 0; c < columns.length; c++) {
            out[c] = table.row(row)[columns[c]];
        }
        return out;
    }
}
