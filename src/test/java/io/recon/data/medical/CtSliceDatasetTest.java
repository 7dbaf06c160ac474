package io.recon.data.medical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.recon.data.Inv3VolumeReader;
import io.recon.imaging.Volume;
import io.recon.imaging.Window;

/** On the real head CT of the Debian package invesalius-examples (skipped where it is not installed). */
class CtSliceDatasetTest {

    private static final Path CRANIUM = Path.of("/usr/share/doc/invesalius-examples/examples/Cranium.inv3");

    @Test
    void rolesPartitionTheSlicesAndNoTestSliceIsTrainedOn() {
        Set<Integer> seen = new HashSet<>();
        int[] counts = new int[3];
        for (int z = 0; z < 108; z++) {
            CtSliceDataset.Role role = CtSliceDataset.roleOf(z);
            counts[role.ordinal()]++;
            assertTrue(seen.add(z));
        }
        // Before the brain-slice filter: 62% / 13% / 25% of the 108 slices.
        assertEquals(67, counts[CtSliceDataset.Role.TRAIN.ordinal()]);
        assertEquals(14, counts[CtSliceDataset.Role.CALIBRATION.ordinal()]);
        assertEquals(27, counts[CtSliceDataset.Role.TEST.ordinal()]);
    }

    @Test
    void testCasesOfTheHeadCtCarryLesionsWhoseMasksLieInTheRenderedBrain() {
        Assumptions.assumeTrue(Files.isRegularFile(CRANIUM), CRANIUM + " not found: install invesalius-examples");
        Volume volume = new Inv3VolumeReader().read(CRANIUM);
        SliceRenderer renderer = new SliceRenderer(new Window(40, 120), 64);
        CtSliceDataset data = new CtSliceDataset(volume, renderer, 8, 8, 4000);
        // The skull base and the vertex hold too little brain; every test slice is a brain slice.
        assertTrue(data.nonBrainSlices().containsAll(List.of(0, 5, 100, 107)), data.nonBrainSlices().toString());
        List<Integer> test = data.slices(CtSliceDataset.Role.TEST);
        assertTrue(test.contains(50) && !test.contains(2) && test.size() >= 15, test.toString());
        for (int z : test) {
            assertFalse(data.nonBrainSlices().contains(z));
        }
        List<CtSliceDataset.Case> cases = data.testCases(1, LesionSampler.defaults(), new Random(5));
        assertEquals(test.size(), cases.size());
        int withLesion = 0;
        for (CtSliceDataset.Case c : cases) {
            assertEquals(64 * 64, c.clean().length);
            if (c.lesion() == null) {
                continue;
            }
            withLesion++;
            int maskPixels = 0;
            double change = 0;
            for (int p = 0; p < c.mask().length; p++) {
                if (c.mask()[p]) {
                    maskPixels++;
                    change += c.lesioned()[p] - c.clean()[p];
                }
            }
            assertTrue(maskPixels > 0, "a lesion of radius >= 5 source pixels covers model pixels: " + c.lesion());
            // Inside the mask the rendered image moves in the lesion's direction.
            assertEquals(Math.signum(c.lesion().deltaHu()), Math.signum(change), 0.0, c.lesion().toString());
        }
        assertTrue(withLesion >= test.size() - 2, withLesion + " of " + test.size() + " test slices got a lesion");
        assertEquals(test.size() * 4, data.posed(CtSliceDataset.Role.TEST, 4, new Random(1)).size());
    }
}
