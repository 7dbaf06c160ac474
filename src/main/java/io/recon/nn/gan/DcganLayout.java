package io.recon.nn.gan;

/**
 * The {@code dcgan-layout.json} of a saved {@link ImageGan}: what rebuilding the generator needs
 * besides its parameters, and how training went.
 *
 * @param format        layout format version
 * @param kind          "dcgan"
 * @param side          image side in pixels
 * @param latentSize    width of z
 * @param channels      channels of the generator's first feature map
 * @param settings      the training settings
 * @param discriminator whether the discriminator's parameters were saved beside the generator's
 * @param training      how training went; null when unknown
 */
record DcganLayout(int format, String kind, int side, int latentSize, int channels, ImageGan.Settings settings,
        boolean discriminator, DcganTrainingReport training) {

    /** The layout format this code writes and reads. */
    static final int FORMAT = 1;
}
