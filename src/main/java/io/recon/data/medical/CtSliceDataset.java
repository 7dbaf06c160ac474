package io.recon.data.medical;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import io.recon.imaging.Volume;

/**
 * The axial slices of one CT volume, split by slice index into training, calibration and test
 * slices, rendered into model input with optional rigid augmentation and synthetic lesions.
 *
 * <p>Only slices through the brain are used: those with at least {@code minBrainPixels} of
 * intracranial brain tissue ({@link IntracranialMask}). Skull-base and vertex slices are mostly
 * bone and air, reconstruct worst, and would set the threshold for every slice; a model for them
 * would be a model of another anatomy. Among the brain slices the split interleaves: slice z is a
 * test slice when {@code z % 4 == 2}, a calibration slice when {@code z % 8 == 0}, else a training
 * slice (about 62% / 13% / 25%). Neighbouring slices of
 * one scan are 1.5 mm apart and alike, so a held-out slice is an unseen image of seen anatomy:
 * this measures lesion detection against one subject's own normal appearance, not generalisation
 * to other patients.
 */
public final class CtSliceDataset {

    /** What a slice is used for. */
    public enum Role {
        /** Seen in training, freshly augmented every epoch. */
        TRAIN,
        /** Never trained on; sets the threshold. */
        CALIBRATION,
        /** Never trained on; clean and lesioned copies for evaluation. */
        TEST
    }

    /** Air in HU: what enters the field of view when a slice is rotated or shifted. */
    public static final float AIR_HU = -1024f;

    /**
     * One evaluation case: a test slice under a rigid transform, clean and (when a lesion fits) with
     * a synthetic lesion.
     *
     * @param slice     index in the volume
     * @param transform the pose
     * @param clean     model input without a lesion
     * @param lesion    the lesion, or null when none fits this slice
     * @param lesioned  model input with it, or null
     * @param mask      ground truth at model resolution, or null
     */
    public record Case(int slice, RigidTransform transform, float[] clean, SyntheticLesion lesion, float[] lesioned,
            boolean[] mask) {
    }

    private final Volume volume;
    private final SliceRenderer renderer;
    private final double maxDegrees;
    private final double maxShift;
    private final boolean[] brainSlice;

    /**
     * @param volume     the CT volume in HU
     * @param renderer   window and model side
     * @param maxDegrees largest augmentation rotation
     * @param maxShift   largest augmentation shift, pixels of the source slice
     * @param minBrainPixels intracranial brain pixels (source resolution) a slice needs to be used
     */
    public CtSliceDataset(Volume volume, SliceRenderer renderer, double maxDegrees, double maxShift,
            int minBrainPixels) {
        this.volume = volume;
        this.renderer = renderer;
        this.maxDegrees = maxDegrees;
        this.maxShift = maxShift;
        this.brainSlice = new boolean[volume.nz()];
        for (int z = 0; z < volume.nz(); z++) {
            brainSlice[z] = IntracranialMask.area(volume.sliceValues(z), volume.nx(), volume.ny()) >= minBrainPixels;
        }
    }

    /** The role of slice {@code z}. */
    public static Role roleOf(int z) {
        if (z % 4 == 2) {
            return Role.TEST;
        }
        return z % 8 == 0 ? Role.CALIBRATION : Role.TRAIN;
    }

    /** Brain slice indices with this role, ascending. */
    public List<Integer> slices(Role role) {
        List<Integer> out = new ArrayList<>();
        for (int z = 0; z < volume.nz(); z++) {
            if (brainSlice[z] && roleOf(z) == role) {
                out.add(z);
            }
        }
        return out;
    }

    /** {@code copies} randomly posed renderings of every slice with this role. */
    public List<float[]> posed(Role role, int copies, Random random) {
        List<float[]> out = new ArrayList<>();
        for (int z : slices(role)) {
            float[] hu = volume.sliceValues(z);
            for (int c = 0; c < copies; c++) {
                out.add(render(RigidTransform.random(random, maxDegrees, maxShift).apply(hu, volume.nx(), volume.ny(),
                        AIR_HU)));
            }
        }
        return out;
    }

    /** {@code variants} posed cases of every test slice, each clean and with a lesion where one fits. */
    public List<Case> testCases(int variants, LesionSampler sampler, Random random) {
        return cases(Role.TEST, variants, sampler, random);
    }

    /**
     * {@code variants} posed cases of every slice with this role, each clean and with a lesion where
     * one fits: of calibration slices, a validation set for choices that must not see the test slices.
     */
    public List<Case> cases(Role role, int variants, LesionSampler sampler, Random random) {
        List<Case> out = new ArrayList<>();
        for (int z : slices(role)) {
            float[] original = volume.sliceValues(z);
            for (int v = 0; v < variants; v++) {
                RigidTransform pose = RigidTransform.random(random, maxDegrees, maxShift);
                float[] hu = pose.apply(original, volume.nx(), volume.ny(), AIR_HU);
                Optional<SyntheticLesion> lesion = sampler.sample(hu, volume.nx(), volume.ny(), random);
                out.add(new Case(z, pose, render(hu), lesion.orElse(null),
                        lesion.map(l -> render(l.applyTo(hu, volume.nx(), volume.ny()))).orElse(null),
                        lesion.map(l -> renderer.renderMask(l.mask(volume.nx(), volume.ny()), volume.nx(),
                                volume.ny())).orElse(null)));
            }
        }
        return out;
    }

    /** Slices left out for lack of brain (skull base, vertex), ascending. */
    public List<Integer> nonBrainSlices() {
        List<Integer> out = new ArrayList<>();
        for (int z = 0; z < volume.nz(); z++) {
            if (!brainSlice[z]) {
                out.add(z);
            }
        }
        return out;
    }

    /**
     * The slices as they are (no pose, no lesion) through {@code renderer}: the model's own for
     * e.g. {@link #nonBrainSlices()}, another to mimic a misconfigured sender.
     */
    public List<float[]> render(List<Integer> slices, SliceRenderer through) {
        List<float[]> out = new ArrayList<>();
        for (int z : slices) {
            out.add(through.render(volume.sliceValues(z), volume.nx(), volume.ny()));
        }
        return out;
    }

    /** The model's renderer. */
    public SliceRenderer renderer() {
        return renderer;
    }

    private float[] render(float[] hu) {
        return renderer.render(hu, volume.nx(), volume.ny());
    }
}
