package io.recon.imaging;

/**
 * A 3-D scalar volume in physical units (Hounsfield units for CT, scanner units for MR), stored
 * x-fastest: voxel (x, y, z) is at {@code x + nx * (y + ny * z)}, the order of both NIfTI files and
 * InVesalius' C-ordered (z, y, x) matrices. No reorientation is applied.
 *
 * @param nx          voxels along x (image columns of an axial slice)
 * @param ny          voxels along y (image rows of an axial slice)
 * @param nz          number of axial slices
 * @param voxels      {@code nx * ny * nz} values
 * @param spacing     voxel size {x, y, z} in millimetres (as recorded; may be 1,1,1 when unknown)
 * @param description source and data type, for logs
 */
public record Volume(int nx, int ny, int nz, float[] voxels, double[] spacing, String description) {

    /** Validates the components; see the record description. */
    public Volume {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("volume dimensions must be positive, got " + nx + "x" + ny + "x" + nz);
        }
        if (voxels == null || voxels.length != (long) nx * ny * nz) {
            throw new IllegalArgumentException("expected " + ((long) nx * ny * nz) + " voxels, got "
                    + (voxels == null ? "null" : voxels.length));
        }
        if (spacing == null || spacing.length != 3) {
            throw new IllegalArgumentException("spacing must have 3 values (x, y, z)");
        }
        description = description == null ? "" : description;
    }

    /** The voxel at (x, y, z). */
    public float get(int x, int y, int z) {
        if (x < 0 || x >= nx || y < 0 || y >= ny || z < 0 || z >= nz) {
            throw new IndexOutOfBoundsException("(" + x + "," + y + "," + z + ") outside " + nx + "x" + ny + "x" + nz);
        }
        return voxels[x + nx * (y + ny * z)];
    }

    /** {min, max} over finite voxels. */
    public double[] range() {
        return Intensity.finiteRange(voxels);
    }

    /** Mean over all voxels. */
    public double mean() {
        double sum = 0;
        for (float v : voxels) {
            sum += v;
        }
        return sum / voxels.length;
    }

    /** Percentiles (0–100) over finite voxels, interpolated like {@code numpy.percentile}. */
    public double[] percentiles(double... percents) {
        return Intensity.percentiles(voxels, percents);
    }

    /**
     * The raw values of axial slice {@code z}, row-major (width nx, height ny).
     *
     * @throws ImageFormatException {@code bad_field} when {@code z} is outside 0..nz-1 (the index
     *                              usually comes from an event's {@code slice} field)
     */
    public float[] sliceValues(int z) {
        if (z < 0 || z >= nz) {
            throw ImageFormatException.badField("slice " + z + " requested but the volume has " + nz
                    + " axial slices (0.." + (nz - 1) + ")");
        }
        float[] out = new float[nx * ny];
        System.arraycopy(voxels, z * nx * ny, out, 0, nx * ny);
        return out;
    }

    /** Axial slice {@code z} through a fixed window (e.g. {@link Window#CT_BRAIN}). */
    public GrayImage axialSlice(int z, Window window) {
        return new GrayImage(nx, ny, window.apply(sliceValues(z)),
                description + ", slice " + z + ", " + window);
    }

    /**
     * Axial slice {@code z} scaled by the whole volume's 0.5–99.5 percentile range, robust to a few
     * extreme voxels and the same for every slice of the volume (so slices stay comparable).
     */
    public GrayImage axialSlice(int z) {
        return axialSlice(z, 0.5, 99.5);
    }

    /** Axial slice {@code z} scaled by the volume's {@code [low, high]} percentile range. */
    public GrayImage axialSlice(int z, double lowPercent, double highPercent) {
        float[] values = sliceValues(z);
        double[] p = percentiles(lowPercent, highPercent);
        return new GrayImage(nx, ny, Intensity.scale(values, p[0], p[1]), description + ", slice " + z
                + ", percentiles " + lowPercent + "-" + highPercent + " = " + Window.fmt(p[0]) + ".." + Window.fmt(p[1]));
    }

    /** Equality by content (records would otherwise compare the arrays by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Volume v && v.nx == nx && v.ny == ny && v.nz == nz
                && java.util.Arrays.equals(v.voxels, voxels) && java.util.Arrays.equals(v.spacing, spacing)
                && v.description.equals(description);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(nx, ny, nz, java.util.Arrays.hashCode(voxels));
    }

    @Override
    public String toString() {
        return "Volume[" + nx + "x" + ny + "x" + nz + ", " + description + "]";
    }
}
