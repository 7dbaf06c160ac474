package io.recon.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * {@code up(c)}: the ConvTranspose2d(c, 4x4, stride 2, pad 1) of convolutional decoders and
 * generators, which DJL 0.36's PyTorch engine does not implement ({@code deconvolution} throws "Not
 * implemented"). Built as a sub-pixel convolution instead: Conv2d(4c, 3x3, pad 1) followed by a 2x
 * pixel shuffle. Each of the four output phases of the transposed convolution reads a 2x2 window
 * of the input inside that 3x3 neighbourhood, so this layer can represent every
 * ConvTranspose2d(4x4, s2, p1) exactly (and a little more), at about the same cost.
 */
public final class SubPixelUpsampling {

    private SubPixelUpsampling() {
    }

    /** The convolution of an {@code up(filters)} layer: four channels per output channel, one per phase. */
    public static Conv2d conv(int filters) {
        return Conv2d.builder().setFilters(4 * filters).setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).build();
    }

    /** (batch, 4c, h, w) to (batch, c, 2h, 2w): channel 4k + 2i + j becomes phase (i, j) of channel k. */
    public static NDArray pixelShuffle(NDArray x) {
        Shape s = x.getShape();
        long c = s.get(1) / 4;
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(s.get(0), c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(s.get(0), c, 2 * h, 2 * w);
    }
}
