package io.recon.nn.diffusion;

/**
 * The noise schedule of the diffusion model: the cosine schedule of Nichol and Dhariwal (2021),
 * alpha-bar(t) = f(t) / f(0) with f(t) = cos^2(((t / T + s) / (1 + s)) pi / 2), s = 0.008, each
 * step's beta capped at 0.999. Noise is added slowly at both ends, so that fewer steps are wasted
 * on nearly pure noise than with a linear schedule.
 */
public final class CosineSchedule {

    private static final double OFFSET = 0.008;
    private static final double MAX_BETA = 0.999;

    private final double[] alphaBar;

    /** A schedule of {@code steps} noising steps (T). */
    public CosineSchedule(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("a diffusion needs at least 2 steps, not " + steps);
        }
        alphaBar = new double[steps + 1];
        alphaBar[0] = 1;
        double product = 1;
        for (int t = 1; t <= steps; t++) {
            double beta = Math.min(MAX_BETA, 1 - f(t, steps) / f(t - 1, steps));
            product *= 1 - beta;
            alphaBar[t] = product;
        }
    }

    /** T. */
    public int steps() {
        return alphaBar.length - 1;
    }

    /** The share of signal left after {@code t} steps (1 at t = 0). */
    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /**
     * {@code count} timesteps from T down to 1, evenly spaced: the path a DDIM sampler takes (all T
     * steps when {@code count} is T).
     */
    public int[] samplingPath(int count) {
        if (count < 1 || count > steps()) {
            throw new IllegalArgumentException("sampling steps must be in 1.." + steps() + ", not " + count);
        }
        int[] path = new int[count];
        for (int i = 0; i < count; i++) {
            path[i] = (int) Math.round(steps() - i * (steps() - 1.0) / Math.max(1, count - 1));
        }
        if (count == 1) {
            path[0] = steps();
        }
        return path;
    }

    private static double f(int t, int steps) {
        double c = Math.cos(((double) t / steps + OFFSET) / (1 + OFFSET) * Math.PI / 2);
        return c * c;
    }
}
