package io.recon.nn.diffusion;

import java.util.List;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * The noise-prediction network for table rows, TabDDPM's MLP: the assembled input
 * ({@link DenoiserInput}: noisy row, timestep embedding, class) through hidden layers with GELU to
 * a prediction of the noise that was added to the row. A first linear layer over the concatenation
 * is the sum of a projection of each part, which is how TabDDPM combines them.
 */
final class DenoiserBlock {

    private DenoiserBlock() {
    }

    /** A new, uninitialised network with these hidden layers, predicting {@code rowWidth} values. */
    static SequentialBlock create(List<Integer> hidden, int rowWidth) {
        SequentialBlock block = new SequentialBlock();
        for (int units : hidden) {
            block.add(Linear.builder().setUnits(units).build()).add(Activation.geluBlock());
        }
        block.add(Linear.builder().setUnits(rowWidth).build());
        return block;
    }
}
