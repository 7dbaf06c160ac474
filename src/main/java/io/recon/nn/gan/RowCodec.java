package io.recon.nn.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.recon.data.FeatureRows;

/**
 * A table's rows to the GAN's encoded vectors and back: the columns' codecs side by side, and the
 * spans the generator's output activation works on.
 *
 * @param columns one codec per table column, in the table's order
 */
public record RowCodec(List<ColumnCodec> columns) {

    /** Copies the list. */
    public RowCodec {
        columns = List.copyOf(columns);
    }

    /** Fits a codec to every column of {@code rows}. */
    public static RowCodec fit(FeatureRows rows) {
        if (rows.size() == 0) {
            throw new IllegalArgumentException("no rows to fit");
        }
        List<ColumnCodec> columns = new ArrayList<>();
        for (int c = 0; c < rows.width(); c++) {
            String name = rows.names().get(c);
            columns.add(rows.numeric()[c] ? ColumnCodec.ofNumbers(name, rows.numbers(c))
                    : ColumnCodec.ofCategories(name, rows.cells(c)));
        }
        return new RowCodec(columns);
    }

    /** Encoded width of a row. */
    public int width() {
        return columns.stream().mapToInt(ColumnCodec::encodedWidth).sum();
    }

    /** The spans of the encoded row, in order. */
    public List<Span> spans() {
        List<Span> out = new ArrayList<>();
        int offset = 0;
        for (ColumnCodec column : columns) {
            out.addAll(column.spansAt(offset));
            offset += column.encodedWidth();
        }
        return out;
    }

    /** The column names. */
    public List<String> names() {
        return columns.stream().map(ColumnCodec::name).toList();
    }

    /** Per column: numbers (true) or categories. */
    public boolean[] numeric() {
        boolean[] out = new boolean[columns.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = columns.get(c).numeric();
        }
        return out;
    }

    /** Encodes row {@code r} of {@code rows} (same columns); modes drawn with {@code random}. */
    public float[] encode(FeatureRows rows, int r, Random random) {
        String[] row = rows.rows().get(r);
        float[] out = new float[width()];
        int offset = 0;
        for (int c = 0; c < columns.size(); c++) {
            ColumnCodec column = columns.get(c);
            double value = column.numeric() ? rows.number(row[c], c) : Double.NaN;
            column.encode(row[c], value, random, out, offset);
            offset += column.encodedWidth();
        }
        return out;
    }

    /** The cells of one encoded (activated) row. */
    public String[] decode(float[] encoded) {
        String[] out = new String[columns.size()];
        int offset = 0;
        for (int c = 0; c < out.length; c++) {
            out[c] = columns.get(c).decode(encoded, offset);
            offset += columns.get(c).encodedWidth();
        }
        return out;
    }
}
