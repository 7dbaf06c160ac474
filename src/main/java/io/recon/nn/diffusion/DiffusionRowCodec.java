package io.recon.nn.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import io.recon.data.FeatureRows;

/**
 * Table rows as the flat vectors the diffusion model works on, and back: a number is one slot
 * holding its {@link QuantileNormalizer} score; a category is a one-hot block with values -1 and
 * +1, so that its signal has the same size as a number's (TabDDPM's "one-hot with argmax"
 * alternative to multinomial diffusion). Decoding takes the block's largest slot.
 *
 * @param names      column names
 * @param numeric    per column: numbers or categories
 * @param numbers    per column: the normaliser of a numeric column, null for a categorical one
 * @param categories per column: the categories seen in training, null for a numeric column
 */
public record DiffusionRowCodec(List<String> names, boolean[] numeric, List<QuantileNormalizer> numbers,
        List<List<String>> categories) {

    /** Checks that every column has its one description. */
    public DiffusionRowCodec {
        names = List.copyOf(names);
        numeric = numeric.clone();
        numbers = java.util.Collections.unmodifiableList(new ArrayList<>(numbers));
        categories = java.util.Collections.unmodifiableList(new ArrayList<>(categories));
        for (int c = 0; c < names.size(); c++) {
            if (numeric[c] != (numbers.get(c) != null) || numeric[c] == (categories.get(c) != null)) {
                throw new IllegalArgumentException("column '" + names.get(c) + "' needs a normaliser if numeric "
                        + "and categories if not");
            }
        }
    }

    /** Fitted on the training rows. */
    public static DiffusionRowCodec fit(FeatureRows rows) {
        List<QuantileNormalizer> numbers = new ArrayList<>();
        List<List<String>> categories = new ArrayList<>();
        for (int c = 0; c < rows.width(); c++) {
            if (rows.numeric()[c]) {
                numbers.add(QuantileNormalizer.fit(rows.numbers(c)));
                categories.add(null);
            } else {
                numbers.add(null);
                categories.add(List.copyOf(new LinkedHashSet<>(List.of(rows.cells(c)))));
            }
        }
        return new DiffusionRowCodec(rows.names(), rows.numeric(), numbers, categories);
    }

    /** Length of an encoded row. */
    public int width() {
        int width = 0;
        for (int c = 0; c < names.size(); c++) {
            width += numeric[c] ? 1 : categories.get(c).size();
        }
        return width;
    }

    /** One row, encoded. A category not seen in training lights no slot. */
    public float[] encode(String[] row, FeatureRows table) {
        float[] out = new float[width()];
        int at = 0;
        for (int c = 0; c < names.size(); c++) {
            if (numeric[c]) {
                out[at++] = (float) numbers.get(c).encode(table.number(row[c], c));
                continue;
            }
            List<String> seen = categories.get(c);
            int hot = seen.indexOf(row[c]);
            for (int k = 0; k < seen.size(); k++) {
                out[at + k] = k == hot ? 1f : -1f;
            }
            at += seen.size();
        }
        return out;
    }

    /** One encoded row as cells: numbers through their normaliser, categories by their largest slot. */
    public String[] decode(float[] encoded) {
        String[] row = new String[names.size()];
        int at = 0;
        for (int c = 0; c < names.size(); c++) {
            if (numeric[c]) {
                QuantileNormalizer n = numbers.get(c);
                double v = n.decode(encoded[at++]);
                row[c] = n.integer() ? Long.toString(Math.round(v)) : Double.toString(v);
                continue;
            }
            List<String> seen = categories.get(c);
            int best = 0;
            for (int k = 1; k < seen.size(); k++) {
                if (encoded[at + k] > encoded[at + best]) {
                    best = k;
                }
            }
            row[c] = seen.get(best);
            at += seen.size();
        }
        return row;
    }
}
