package io.recon.nn.gan;

import java.util.List;
import java.util.Random;

/**
 * How one table column is encoded for the GAN: a numeric column through its
 * {@link ModeSpecificNormalizer}, a categorical one as a one-hot over the categories seen in
 * training. A column with one value (numeric or not) takes no encoded width.
 *
 * @param name       column name
 * @param numeric    numbers (true) or categories
 * @param normalizer numeric only: the column's modes; null for a categorical column
 * @param categories categorical only: the categories seen, in one-hot order; null for a numeric column
 */
public record ColumnCodec(String name, boolean numeric, ModeSpecificNormalizer normalizer, List<String> categories) {

    /** Checks that the column is described for its kind. */
    public ColumnCodec {
        if (numeric ? normalizer == null : categories == null || categories.isEmpty()) {
            throw new IllegalArgumentException("column '" + name + "' lacks its " + (numeric ? "modes"
                    : "categories"));
        }
        categories = categories == null ? null : List.copyOf(categories);
    }

    /** A numeric column's codec. */
    static ColumnCodec ofNumbers(String name, double[] values) {
        return new ColumnCodec(name, true, ModeSpecificNormalizer.fit(values), null);
    }

    /** A categorical column's codec; categories in sorted order, so the layout does not depend on row order. */
    static ColumnCodec ofCategories(String name, String[] cells) {
        return new ColumnCodec(name, false, null, java.util.Arrays.stream(cells).distinct().sorted().toList());
    }

    /** Encoded width. */
    public int encodedWidth() {
        return numeric ? normalizer.width() : categories.size() == 1 ? 0 : categories.size();
    }

    /** This column's spans when its encoding starts at {@code offset}. */
    List<Span> spansAt(int offset) {
        if (encodedWidth() == 0) {
            return List.of();
        }
        if (!numeric) {
            return List.of(new Span(offset, categories.size(), Span.Kind.ONE_HOT));
        }
        return List.of(new Span(offset, 1, Span.Kind.ALPHA), new Span(offset + 1, normalizer.modes(),
                Span.Kind.ONE_HOT));
    }

    /** Writes the encoding of {@code value} (a number already parsed, or NaN for a category) or {@code cell}. */
    void encode(String cell, double value, Random random, float[] out, int offset) {
        if (numeric) {
            normalizer.encode(value, random, out, offset);
            return;
        }
        if (categories.size() == 1) {
            return;
        }
        int index = categories.indexOf(cell);
        if (index < 0) {
            throw new IllegalArgumentException("column '" + name + "' has no category '" + cell + "'");
        }
        out[offset + index] = 1f;
    }

    /** The cell the encoding at {@code in[offset]} decodes to: a number, or the likeliest category. */
    String decode(float[] in, int offset) {
        if (numeric) {
            return normalizer.format(normalizer.decode(in, offset));
        }
        int best = 0;
        for (int c = 1; c < encodedWidth(); c++) {
            if (in[offset + c] > in[offset + best]) {
                best = c;
            }
        }
        return categories.get(best);
    }
}
