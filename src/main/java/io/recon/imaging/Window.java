package io.recon.imaging;

/**
 * A linear intensity window (centre/width, a.k.a. level/width) mapping modality values such as
 * Hounsfield units to [0,1]: values at or below {@code center - width/2} become 0, at or above
 * {@code center + width/2} become 1.
 *
 * @param center window centre in modality units
 * @param width  window width in modality units, &gt; 0
 */
public record Window(double center, double width) {

    /** CT brain window, level 40 HU / width 80 HU. */
    public static final Window CT_BRAIN = new Window(40, 80);
    /** CT bone window, level 400 HU / width 1800 HU. */
    public static final Window CT_BONE = new Window(400, 1800);
    /** CT soft-tissue window, level 40 HU / width 400 HU. */
    public static final Window CT_SOFT_TISSUE = new Window(40, 400);

    /** Validates the components; see the record description. */
    public Window {
        if (!Double.isFinite(center) || !(width > 0) || !Double.isFinite(width)) {
            throw new IllegalArgumentException("window needs a finite centre and a width > 0, got centre "
                    + center + ", width " + width);
        }
    }

    /** The window spanning {@code [low, high]}. */
    public static Window ofRange(double low, double high) {
        return new Window((low + high) / 2, high - low);
    }

    /** {@link #apply(double)} for every value; a new array. */
    public float[] apply(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = apply(values[i]);
        }
        return out;
    }

    /** Maps a value to [0,1] with a continuous linear ramp; NaN maps to 0 so the output stays valid. */
    public float apply(double value) {
        if (Double.isNaN(value)) {
            return 0f;
        }
        double v = (value - (center - width / 2)) / width;
        return (float) Math.max(0, Math.min(1, v));
    }

    /**
     * Maps a value to [0,1] with the DICOM "LINEAR" VOI function (PS3.3 C.11.2.1.2.1), which
     * treats values as integer bins: below {@code c - 0.5 - (w-1)/2} is 0, above
     * {@code c - 0.5 + (w-1)/2} is 1, linear in between. Used for DICOM so that our output matches
     * what viewers (and pydicom's {@code apply_voi_lut}) show for the same WindowCenter/Width.
     * Falls back to {@link #apply} when {@code width < 1}, where the standard's formula is undefined.
     */
    public float applyDicom(double value) {
        if (width < 1) {
            return apply(value);
        }
        if (Double.isNaN(value)) {
            return 0f;
        }
        double lower = center - 0.5 - (width - 1) / 2;
        double upper = center - 0.5 + (width - 1) / 2;
        if (value <= lower) {
            return 0f;
        }
        if (value > upper) {
            return 1f;
        }
        double v = (value - (center - 0.5)) / (width - 1) + 0.5;
        return (float) Math.max(0, Math.min(1, v));
    }

    @Override
    public String toString() {
        return "window " + fmt(center) + "/" + fmt(width);
    }

    public static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
