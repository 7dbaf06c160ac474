package io.recon.feature;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.recon.event.InvalidEventException;

/**
 * Encodes feature maps (events) or table rows into the float vectors the VAE reads, following a
 * model's feature schema, and maps model outputs back to feature names and original units.
 * Immutable and thread-safe.
 */
public final class FeatureEncoder {

    /** Standardised values are clipped here, so one absurd value cannot overflow the network. */
    static final double CLIP = 30.0;
    /** Name of the one-hot slot that takes categories not seen in training. */
    public static final String OTHER = "(other)";

    private final List<FeatureSpec> specs;
    private final int[] offsets;
    private final int width;
    private final int[] featureOfColumn;
    private final List<Map<String, Integer>> categoryIndex = new ArrayList<>();
    /** Per feature, its quantile normalisation, or null (centre and scale). */
    private final QuantileScale[] quantileScales;

    /** An encoder for the given schema, features in this order. */
    public FeatureEncoder(List<FeatureSpec> specs) {
        this.specs = List.copyOf(specs);
        this.offsets = new int[specs.size()];
        this.quantileScales = new QuantileScale[specs.size()];
        int w = 0;
        for (int i = 0; i < specs.size(); i++) {
            quantileScales[i] = quantileScale(specs.get(i));
            offsets[i] = w;
            w += specs.get(i).width();
            Map<String, Integer> index = new HashMap<>();
            if (specs.get(i).kind() == FeatureSpec.Kind.CATEGORICAL) {
                List<String> cats = specs.get(i).categories();
                for (int c = 0; c < cats.size(); c++) {
                    index.put(cats.get(c), c);
                }
            }
            categoryIndex.add(index);
        }
        this.width = w;
        this.featureOfColumn = new int[w];
        for (int i = 0; i < specs.size(); i++) {
            for (int c = 0; c < specs.get(i).width(); c++) {
                featureOfColumn[offsets[i] + c] = i;
            }
        }
    }

    /** The schema. */
    public List<FeatureSpec> specs() {
        return specs;
    }

    /** Number of model inputs. */
    public int width() {
        return width;
    }

    /** Index of the feature that model input {@code column} belongs to. */
    public int featureOfColumn(int column) {
        return featureOfColumn[column];
    }

    /** First model input of feature {@code feature}. */
    public int offset(int feature) {
        return offsets[feature];
    }

    /**
     * Encodes an event's features. Every schema feature must be present with the right type;
     * features the model does not know are ignored (producers may send more than a model uses).
     */
    public float[] encode(Map<String, Object> features) {
        float[] out = new float[width];
        for (int i = 0; i < specs.size(); i++) {
            FeatureSpec spec = specs.get(i);
            Object value = features.get(spec.name());
            if (value == null) {
                throw new InvalidEventException("missing_feature", "feature '" + spec.name()
                        + "' is missing; this model expects " + expectedNames());
            }
            if (spec.kind() == FeatureSpec.Kind.NUMERIC) {
                if (!(value instanceof Number number)) {
                    throw new InvalidEventException("bad_feature", "feature '" + spec.name()
                            + "' must be a number, got the string \"" + value + "\"");
                }
                out[offsets[i]] = (float) standardise(spec, quantileScales[i], number.doubleValue());
            } else {
                String category = value instanceof Number n ? formatNumber(n.doubleValue()) : value.toString();
                out[offsets[i] + categorySlot(i, category)] = 1f;
            }
        }
        return out;
    }

    /** Encodes a table row given as text cells, {@code columns[i]} being the cell of feature i. */
    public float[] encodeCells(String[] row, int[] columns) {
        float[] out = new float[width];
        for (int i = 0; i < specs.size(); i++) {
            FeatureSpec spec = specs.get(i);
            String cell = row[columns[i]].trim();
            if (spec.kind() == FeatureSpec.Kind.NUMERIC) {
                double v;
                try {
                    v = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new InvalidEventException("bad_feature", "feature '" + spec.name()
                            + "' must be a number, got \"" + cell + "\"");
                }
                out[offsets[i]] = (float) standardise(spec, quantileScales[i], v);
            } else {
                out[offsets[i] + categorySlot(i, cell)] = 1f;
            }
        }
        return out;
    }

    /**
     * The original-unit value of numeric feature {@code feature} for a standardised input,
     * kept inside the range seen in training (an "expected" count of -0.3 helps nobody).
     */
    public double toOriginalUnits(int feature, double standardised) {
        FeatureSpec spec = specs.get(feature);
        double t = quantileScales[feature] != null ? quantileScales[feature].invert(standardised)
                : standardised * spec.scale() + spec.center();
        FeatureSpec.Transform transform = spec.transform() == null ? FeatureSpec.Transform.IDENTITY : spec.transform();
        double v = transform.invert(t);
        if (transform == FeatureSpec.Transform.LOG1P) {
            v = Math.max(0, v); // non-negative in training: an "expected" negative count helps nobody
        }
        if (spec.min() != null && spec.max() != null) {
            v = Math.max(spec.min(), Math.min(spec.max(), v));
        }
        return v;
    }

    /**
     * The feature cells an encoded row stands for, in feature order: a number in original units
     * (whole for counts and sizes), a category by its largest one-hot slot. The inverse of
     * {@link #encode} up to clipping and rounding; used to read rows a generative model writes.
     */
    public String[] decode(float[] encoded) {
        if (encoded.length != width) {
            throw new IllegalArgumentException("an encoded row has " + width + " values, not " + encoded.length);
        }
        String[] cells = new String[specs.size()];
        for (int f = 0; f < specs.size(); f++) {
            FeatureSpec spec = specs.get(f);
            int at = offset(f);
            if (spec.kind() == FeatureSpec.Kind.NUMERIC) {
                double v = toOriginalUnits(f, encoded[at]);
                boolean whole = spec.valueKind() == ValueKind.COUNT || spec.valueKind() == ValueKind.SIZE;
                cells[f] = whole ? Long.toString(Math.round(v)) : Double.toString(v);
            } else {
                int best = 0;
                for (int s = 1; s < spec.width(); s++) {
                    if (encoded[at + s] > encoded[at + best]) {
                        best = s;
                    }
                }
                cells[f] = categoryAt(f, best);
            }
        }
        return cells;
    }

    /** The category named by one-hot slot {@code slot} of categorical feature {@code feature}. */
    public String categoryAt(int feature, int slot) {
        List<String> cats = specs.get(feature).categories();
        return slot < cats.size() ? cats.get(slot) : OTHER;
    }

    static double standardise(FeatureSpec spec, double raw) {
        return standardise(spec, quantileScale(spec), raw);
    }

    private static double standardise(FeatureSpec spec, QuantileScale quantiles, double raw) {
        if (!Double.isFinite(raw)) {
            throw new InvalidEventException("bad_feature", "feature '" + spec.name() + "' is not a finite number");
        }
        // Only a declared kind makes a value impossible; anything else outside the training range is
        // exactly what an anomaly looks like, so it is scored (and clipped below), never rejected.
        if (raw < 0 && spec.rejectsNegative()) {
            throw new InvalidEventException("bad_feature", "feature '" + spec.name() + "' = " + formatNumber(raw)
                    + " is impossible: it is declared a " + spec.valueKind().label() + ", which cannot be negative");
        }
        double t = spec.transform() == null ? raw : spec.transform().apply(raw);
        double z = quantiles != null ? quantiles.standardise(t) : (t - spec.center()) / spec.scale();
        return Math.max(-CLIP, Math.min(CLIP, z));
    }

    private static QuantileScale quantileScale(FeatureSpec spec) {
        if (spec.kind() != FeatureSpec.Kind.NUMERIC || spec.quantiles() == null) {
            return null;
        }
        if (spec.scale() == null) {
            throw new IllegalArgumentException("feature '" + spec.name() + "' has quantiles but no scale "
                    + "(the spread beyond them)");
        }
        return new QuantileScale(spec.quantiles(), spec.scale());
    }

    private int categorySlot(int feature, String category) {
        Integer slot = categoryIndex.get(feature).get(category);
        return slot != null ? slot : specs.get(feature).categories().size();
    }

    private String expectedNames() {
        List<String> names = new ArrayList<>();
        for (FeatureSpec s : specs) {
            names.add(s.name());
        }
        return names.toString();
    }

    private static String formatNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
