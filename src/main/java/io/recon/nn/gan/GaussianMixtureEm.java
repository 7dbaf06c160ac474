package io.recon.nn.gan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A one-dimensional Gaussian mixture fitted by expectation-maximisation, the mode finder of
 * {@link ModeSpecificNormalizer}. CTGAN fits a variational Bayesian mixture (scikit-learn's
 * BayesianGaussianMixture with a Dirichlet-process prior) of up to 10 components and keeps those
 * of weight above 0.005. Here maximum-likelihood EM fits 1, 2, ... components (pruning those
 * below 0.005 and refitting), and the Bayesian information criterion picks how many: the same
 * job, without the variational machinery.
 *
 * <p>Deterministic: components start at evenly spaced quantiles of the data (duplicates merged,
 * so a column that is mostly zeros starts with one component at zero, not ten identical ones that
 * EM could never separate), with equal weights and the column's variance.
 */
final class GaussianMixtureEm {

    /** Components below this weight are dropped and the rest refitted (CTGAN's threshold). */
    static final double MIN_WEIGHT = 0.005;
    /** At most this many values take part in the fit: evenly spaced in the column's order. */
    static final int MAX_FIT_VALUES = 20_000;
    private static final int MAX_ITERATIONS = 200;
    /** Stop when the mean log-likelihood per value improves by less than this. */
    private static final double TOLERANCE = 1e-6;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    /**
     * A fitted mixture, components in ascending order of mean.
     *
     * @param means   component means
     * @param sds     component standard deviations, each at least the fit's floor
     * @param weights mixing weights, summing to 1
     */
    record Mixture(double[] means, double[] sds, double[] weights) {
    }

    private GaussianMixtureEm() {
    }

    /**
     * Fits at most {@code maxComponents} components to {@code values} (at least two distinct,
     * all finite). No standard deviation falls below {@code sdFloor}: a component on a column's
     * many identical values would otherwise shrink to nothing and its likelihood grow without bound.
     */
    static Mixture fit(double[] values, int maxComponents, double sdFloor) {
        double[] x = thinned(values);
        // Standardised, so that tolerances and floors mean the same on bytes (1e9) and on seconds (1e-6).
        double centre = Arrays.stream(x).average().orElseThrow();
        double scale = Math.sqrt(Arrays.stream(x).map(v -> (v - centre) * (v - centre)).sum() / x.length);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("a mixture needs at least two distinct values");
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - centre) / scale;
        }
        double floor = sdFloor / scale;
        // The number of components by BIC: maximum-likelihood EM alone keeps all ten on any data
        // (ten Gaussians always fit a bimodal column better than two), where CTGAN's variational
        // mixture lets the superfluous ones die. Larger counts are tried until two in a row do worse.
        double[] starts = quantileStarts(x, maxComponents);
        Fitted best = null;
        int worse = 0;
        for (int k = 1; k <= starts.length && worse < 2; k++) {
            Fitted candidate = fitComponents(x, k == starts.length ? starts : quantileStarts(x, k), floor);
            if (best == null || candidate.bic < best.bic) {
                best = candidate;
                worse = 0;
            } else {
                worse++;
            }
        }
        double[] means = best.means;
        double[] vars = best.vars;
        double[] weights = best.weights;
        Integer[] order = new Integer[means.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        double[] m = means;
        Arrays.sort(order, (a, b) -> Double.compare(m[a], m[b]));
        double[] outMeans = new double[order.length];
        double[] outSds = new double[order.length];
        double[] outWeights = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            outMeans[k] = means[order[k]] * scale + centre;
            outSds[k] = Math.max(Math.sqrt(vars[order[k]]) * scale, sdFloor);
            outWeights[k] = weights[order[k]];
        }
        return new Mixture(outMeans, outSds, outWeights);
    }

    /** A mixture on standardised values with its Bayesian information criterion. */
    private record Fitted(double[] means, double[] vars, double[] weights, double bic) {
    }

    /** EM from {@code starts}, pruning components below {@link #MIN_WEIGHT} and refitting the rest. */
    private static Fitted fitComponents(double[] x, double[] starts, double floor) {
        double[] means = starts.clone();
        double[] vars = new double[means.length];
        Arrays.fill(vars, 1.0);
        double[] weights = new double[means.length];
        Arrays.fill(weights, 1.0 / means.length);
        double logLikelihood;
        while (true) {
            logLikelihood = em(x, means, vars, weights, floor * floor);
            List<Integer> kept = new ArrayList<>();
            for (int k = 0; k < weights.length; k++) {
                if (weights[k] >= MIN_WEIGHT) {
                    kept.add(k);
                }
            }
            if (kept.size() == weights.length) {
                break;
            }
            means = pick(means, kept);
            vars = pick(vars, kept);
            weights = pick(weights, kept);
            double total = Arrays.stream(weights).sum();
            for (int k = 0; k < weights.length; k++) {
                weights[k] /= total;
            }
        }
        int parameters = 3 * means.length - 1;
        return new Fitted(means, vars, weights, -2 * logLikelihood + parameters * Math.log(x.length));
    }

    /** log of w_k N(x; mu_k, sd_k^2) for every component. */
    static void logDensities(double x, double[] means, double[] sds, double[] weights, double[] out) {
        for (int k = 0; k < means.length; k++) {
            double z = (x - means[k]) / sds[k];
            out[k] = Math.log(weights[k]) - Math.log(sds[k]) - LOG_SQRT_2PI - 0.5 * z * z;
        }
    }

    /** Runs EM to convergence in place; returns the final log-likelihood. */
    private static double em(double[] x, double[] means, double[] vars, double[] weights, double varFloor) {
        int k = means.length;
        double[] logp = new double[k];
        double[] n = new double[k];
        double[] sum = new double[k];
        double[] sumSq = new double[k];
        double previous = Double.NEGATIVE_INFINITY;
        double logLikelihood = Double.NEGATIVE_INFINITY;
        double[] constants = new double[k];
        double[] inverseSds = new double[k];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int c = 0; c < k; c++) {
                // Per component once, not per value: log w - log sd - log sqrt(2 pi), and 1 / sd.
                constants[c] = Math.log(weights[c]) - 0.5 * Math.log(vars[c]) - LOG_SQRT_2PI;
                inverseSds[c] = 1 / Math.sqrt(vars[c]);
            }
            Arrays.fill(n, 0);
            Arrays.fill(sum, 0);
            Arrays.fill(sumSq, 0);
            logLikelihood = 0;
            for (double v : x) {
                for (int c = 0; c < k; c++) {
                    double z = (v - means[c]) * inverseSds[c];
                    logp[c] = constants[c] - 0.5 * z * z;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (double l : logp) {
                    max = Math.max(max, l);
                }
                double total = 0;
                for (int c = 0; c < k; c++) {
                    logp[c] = Math.exp(logp[c] - max);
                    total += logp[c];
                }
                logLikelihood += max + Math.log(total);
                for (int c = 0; c < k; c++) {
                    double r = logp[c] / total;
                    n[c] += r;
                    sum[c] += r * v;
                    sumSq[c] += r * v * v;
                }
            }
            for (int c = 0; c < k; c++) {
                weights[c] = n[c] / x.length;
                if (n[c] > 1e-12) {
                    means[c] = sum[c] / n[c];
                    // E[x^2] - mean^2 on standardised values: no catastrophic cancellation at this scale.
                    vars[c] = Math.max(sumSq[c] / n[c] - means[c] * means[c], varFloor);
                }
            }
            double mean = logLikelihood / x.length;
            if (mean - previous < TOLERANCE) {
                break;
            }
            previous = mean;
        }
        // The likelihood of the last E-step: of the parameters before this M-step's update, close enough at convergence.
        return logLikelihood;
    }

    private static double[] quantileStarts(double[] x, int maxComponents) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double[] starts = new double[maxComponents];
        int count = 0;
        for (int c = 0; c < maxComponents; c++) {
            double value = sorted[(int) Math.floor((c + 0.5) / maxComponents * (sorted.length - 1))];
            if (count == 0 || value != starts[count - 1]) {
                starts[count++] = value;
            }
        }
        if (count == 1 && maxComponents > 1) { // most values identical: one start there, one at the far end
            starts[count++] = sorted[0] != starts[0] ? sorted[0] : sorted[sorted.length - 1];
        }
        return Arrays.copyOf(starts, count);
    }

    private static double[] thinned(double[] values) {
        if (values.length <= MAX_FIT_VALUES) {
            return values.clone();
        }
        double[] out = new double[MAX_FIT_VALUES];
        double stride = (double) values.length / MAX_FIT_VALUES;
        for (int i = 0; i < out.length; i++) {
            out[i] = values[(int) (i * stride)];
        }
        return out;
    }

    private static double[] pick(double[] array, List<Integer> kept) {
        return kept.stream().mapToDouble(i -> array[i]).toArray();
    }
}
