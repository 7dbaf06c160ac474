package io.recon.nn.diffusion;

import java.util.List;

/**
 * The {@code tabddpm-layout.json} of a saved {@link TabularDiffusion}: all that sampling needs
 * besides the denoiser's parameters, and how training went.
 *
 * @param format   layout format version
 * @param kind     "tabddpm"
 * @param classes  the classes, in the condition's order
 * @param codec    the columns' encoding
 * @param settings the training and sampling settings
 * @param training how training went; null when unknown
 */
record DiffusionLayout(int format, String kind, List<String> classes, DiffusionRowCodec codec,
        TabularDiffusion.Settings settings, TabularDiffusion.TrainingReport training) {

    /** The layout format this code writes and reads. */
    static final int FORMAT = 1;
}
