package io.recon.nn;

import java.util.List;

import io.recon.data.FeatureRows;

/**
 * A trained generative model of table rows, conditional on the row's class (the traffic generator
 * or service that made a flow): what the GAN and the diffusion model have in common, and all that
 * the synthetic-data evaluation and the roles that publish synthetic events need of them.
 */
public interface TabularGenerator extends AutoCloseable {

    /** The model family, as reports and events name it: "ctgan", "tabddpm". */
    String kind();

    /** The classes it was trained on, in the order of its conditional vector. */
    List<String> classes();

    /**
     * {@code count} new rows of class {@code cls}, in the training table's columns: numbers finite
     * and within the range seen in training (counts whole and non-negative), categories among those
     * seen. The same seed gives the same rows (the noise is drawn in Java; only float
     * rounding in the engine's kernels may differ between CPUs).
     *
     * @throws IllegalArgumentException for a class it was not trained on
     */
    FeatureRows sample(String cls, int count, long seed);

    /** Releases the model's native memory. */
    @Override
    void close();
}
