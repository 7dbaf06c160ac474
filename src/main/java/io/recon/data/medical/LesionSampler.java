package io.recon.data.medical;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Draws {@link SyntheticLesion}s that lie inside the brain of a given CT slice: size, shape,
 * orientation and contrast uniformly from the configured ranges, bright or dark with equal
 * probability, the centre at an intracranial pixel such that at least 90% of the lesion's core
 * covers intracranial tissue (so lesions are not painted onto bone or air).
 *
 * @param minRadius  smallest semi-major axis, pixels of the source slice
 * @param maxRadius  largest semi-major axis
 * @param brightMin  smallest positive contrast, HU
 * @param brightMax  largest positive contrast, HU
 * @param darkMin    smallest negative contrast, as a positive number of HU
 * @param darkMax    largest negative contrast, as a positive number of HU
 */
public record LesionSampler(double minRadius, double maxRadius, double brightMin, double brightMax, double darkMin,
        double darkMax) {

    private static final int ATTEMPTS = 200;
    private static final double MIN_COVERAGE = 0.9;

    /**
     * Radii 5-20 px (about 5-19 mm at Cranium's 0.96 mm pixels), bright +20..+50 HU (acute blood is
     * ~50-80 HU against ~30-40 HU brain), dark -12..-30 HU (infarct, oedema).
     */
    public static LesionSampler defaults() {
        return new LesionSampler(5, 20, 20, 50, 12, 30);
    }

    /**
     * A lesion for the slice, or empty when none fits (skull base and vertex slices have little or
     * no enclosed brain).
     */
    public Optional<SyntheticLesion> sample(float[] hu, int width, int height, Random random) {
        boolean[] brain = IntracranialMask.of(hu, width, height);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < brain.length; i++) {
            if (brain[i]) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int centre = candidates.get(random.nextInt(candidates.size()));
            double radius = uniform(random, minRadius, maxRadius);
            boolean bright = random.nextBoolean();
            double delta = bright ? uniform(random, brightMin, brightMax) : -uniform(random, darkMin, darkMax);
            SyntheticLesion lesion = new SyntheticLesion(centre % width, centre / width, radius,
                    uniform(random, 0.6, 1.0), uniform(random, 0, 180), delta);
            if (coverage(lesion, brain, width, height) >= MIN_COVERAGE) {
                return Optional.of(lesion);
            }
        }
        return Optional.empty();
    }

    private static double coverage(SyntheticLesion lesion, boolean[] brain, int width, int height) {
        boolean[] mask = lesion.mask(width, height);
        int inside = 0;
        int total = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                total++;
                if (brain[i]) {
                    inside++;
                }
            }
        }
        return total == 0 ? 0 : (double) inside / total;
    }

    private static double uniform(Random random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
