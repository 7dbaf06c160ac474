package io.recon.nn.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Group normalisation (Wu and He 2018) of (batch, channels, height, width) maps, without the
 * learnt scale and shift: each of {@link #GROUPS} channel groups of each image to zero mean and
 * unit variance. The U-Net of DDPM uses it because, unlike batch normalisation, an image's output
 * does not depend on the other images of the batch, so sampling one image or a thousand gives the
 * same pixels. The scale and shift are left to the convolution that always follows.
 */
final class GroupNormalization {

    /** Groups per map (every channel count of the U-Net is a multiple of it). */
    static final int GROUPS = 8;
    private static final float EPSILON = 1e-5f;

    private GroupNormalization() {
    }

    static NDArray apply(NDArray x) {
        Shape s = x.getShape();
        NDArray grouped = x.reshape(s.get(0), GROUPS, -1);
        NDArray centred = grouped.sub(grouped.mean(new int[] {2}, true));
        NDArray variance = centred.square().mean(new int[] {2}, true);
        return centred.div(variance.add(EPSILON).sqrt()).reshape(s);
    }
}
