package io.recon.cli.bench;

import java.util.Random;
import java.util.function.Consumer;

import io.recon.data.medical.CtSliceDataset;
import io.recon.nn.EpochRows;
import io.recon.nn.explainer.MaskedPatchModel;
import io.recon.progress.Progress;

/**
 * Trains the masked-patch transformer on a CT model's training slices, posed afresh every epoch
 * from its own random stream, exactly as {@code ct-explain-benchmark} and {@code train-explainer}
 * both need it.
 */
public final class CtPatchExplainerTraining {

    private CtPatchExplainerTraining() {
    }

    /** Default settings: 8-pixel patches, one layer of 32-wide tokens, 200 epochs of 32 images. */
    public static MaskedPatchModel.Settings settings(int patch, int epochs, int layers, long seed) {
        return new MaskedPatchModel.Settings(patch, epochs, 32, 1e-3, 32, layers, 4, 0.25, seed, 25);
    }

    /** A model trained on {@code copies} posed copies of each training slice per epoch. */
    public static MaskedPatchModel train(CtSliceDataset data, int side, int copies, MaskedPatchModel.Settings s,
            Progress progress) {
        int trainSlices = data.slices(CtSliceDataset.Role.TRAIN).size();
        Random poses = new Random(s.seed() + 3);
        return MaskedPatchModel.train(side, EpochRows.regenerated(trainSlices * copies,
                epoch -> data.posed(CtSliceDataset.Role.TRAIN, copies, poses)), s, progress);
    }
}
