package io.recon.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;

/** Plain DJL outside Quarkus: runs in the plain-djl JVM, where libtorch loads in the application class loader. */
@Tag("plain-djl")
class VectorNeighboursTest {

    /** Five points on a line at 0, 1, 3, 6 and 10. */
    private static final List<float[]> LINE = List.of(new float[] {0, 0}, new float[] {1, 0}, new float[] {3, 0},
            new float[] {6, 0}, new float[] {10, 0});

    @Test
    void scoresTheDistanceToTheKthNearestReference() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                VectorNeighbours second = new VectorNeighbours(manager, LINE, 2)) {
            // From (2, 0): the references lie 1, 1, 2, 4 and 8 away; from (0, 3): 3, sqrt(10), ...
            assertArrayEquals(new double[] {1, Math.sqrt(10)},
                    second.kDistances(List.of(new float[] {2, 0}, new float[] {0, 3})), 1e-5);
        }
    }

    @Test
    void leavesEachMemberOutOfItsOwnNeighbours() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                VectorNeighbours first = new VectorNeighbours(manager, LINE, 1)) {
            // A member finds itself at 0 as a query, and its nearest other point when left out.
            assertArrayEquals(new double[] {0, 0, 0, 0, 0}, first.kDistances(LINE), 1e-5);
            assertArrayEquals(new double[] {1, 1, 2, 3, 4}, first.leaveOneOutDistances(LINE), 1e-5);
        }
    }

    @Test
    void refusesAKThatLeavesNoNeighbourToLeaveOut() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThrows(IllegalArgumentException.class, () -> new VectorNeighbours(manager, LINE, 5));
            assertThrows(IllegalArgumentException.class, () -> new VectorNeighbours(manager, LINE, 0));
        }
    }
}
