package io.recon.nn;

/** The few functions the plain-Java forward passes need that {@link Math} lacks, as libtorch computes them. */
public final class PlainMath {

    private PlainMath() {
    }

    /** Exact GELU, x * Phi(x), as PyTorch computes it by default. */
    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf with fractional error below 1.2e-7 (the Chebyshev fit of Numerical Recipes, erfc form). */
    public static double erf(double x) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }
}
