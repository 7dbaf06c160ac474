package io.recon.nn;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A trained generative model of square grayscale images of one kind (one Fashion-MNIST class, the
 * normal slices of a CT series): what the image GAN and the image diffusion model have in common,
 * and all that the synthetic-data evaluation, the image uses of synthetic data and the roles that
 * publish synthetic images need of them. Unconditional: a model per kind of image, as the one-class
 * detectors it feeds are one per kind.
 */
public interface ImageGenerator extends AutoCloseable {

    /** The model family, as reports and events name it: "dcgan", "ddpm". */
    String kind();

    /** Image side in pixels (28 or 64). */
    int side();

    /**
     * {@code count} new images, each {@code side * side} pixels row-major in [0, 1] (finite, clamped).
     * The same seed gives the same images up to float rounding (the noise is drawn in Java; the
     * engine's convolution kernels may round differently between CPUs, and between calls).
     */
    List<float[]> sample(int count, long seed);

    /** Writes the model's parameter files and its layout file into {@code dir}. */
    void save(Path dir, ObjectMapper mapper);

    /** Releases the model's native memory. */
    @Override
    void close();
}
