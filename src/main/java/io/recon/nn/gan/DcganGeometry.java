package io.recon.nn.gan;

/**
 * The shape of the DCGAN's two networks for one image side, with the conv VAE's conventions
 * ({@code ConvVaeBlock}): 28x28 takes two stride-2 stages (28 - 14 - 7), 64x64 three (64 - 32 - 16 -
 * 8); the discriminator's stages have 32, 64 (and 128) channels, and the generator starts from the
 * widest of them and halves the channels at each up-sampling.
 *
 * @param side        image side in pixels
 * @param stages      stride-2 stages of each network
 * @param featureSide side of the smallest feature map
 * @param channels    channels of the smallest feature map (the generator's first, the discriminator's last)
 */
record DcganGeometry(int side, int stages, int featureSide, int channels) {

    /** Channels of the discriminator's first stage (and the generator's last hidden one). */
    static final int FIRST_CHANNELS = 32;

    /** The geometry for {@code side}: 28 or 64, the sides the image models support. */
    static DcganGeometry of(int side) {
        int stages = switch (side) {
            case 28 -> 2;
            case 64 -> 3;
            default -> throw new IllegalArgumentException("the DCGAN takes images of side 28 or 64, not " + side);
        };
        return new DcganGeometry(side, stages, side >> stages, FIRST_CHANNELS << (stages - 1));
    }

    /** Features of the generator's projection: channels x featureSide x featureSide. */
    long projected() {
        return (long) channels * featureSide * featureSide;
    }
}
