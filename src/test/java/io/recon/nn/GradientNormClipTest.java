package io.recon.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;

/** The clip scales every gradient by one factor, to the limit's joint norm, and leaves small ones alone. */
@Tag("plain-djl")
class GradientNormClipTest {

    @Test
    void scalesGradientsAboveTheLimitToItKeepingTheirDirection() {
        try (Model model = Model.newInstance("linear")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(4, 3));
                backward(trainer, 100f);
                List<float[]> before = gradients(trainer);
                double norm = norm(before);
                assertTrue(norm > 10, "a loss this large gives a large gradient: " + norm);

                GradientNormClip clip = new GradientNormClip(model.getBlock(), norm / 4);
                assertTrue(clip.apply());
                List<float[]> after = gradients(trainer);
                assertEquals(norm / 4, norm(after), norm * 1e-5);
                for (int t = 0; t < before.size(); t++) {
                    for (int i = 0; i < before.get(t).length; i++) {
                        assertEquals(before.get(t)[i] / 4, after.get(t)[i], Math.abs(before.get(t)[i]) * 1e-5 + 1e-7);
                    }
                }

                GradientNormClip loose = new GradientNormClip(model.getBlock(), norm);
                assertFalse(loose.apply(), "already below the limit");
                List<float[]> untouched = gradients(trainer);
                for (int t = 0; t < after.size(); t++) {
                    assertArrayEquals(after.get(t), untouched.get(t));
                }
            }
        }
    }

    @Test
    void refusesALimitThatIsNotPositive() {
        try (Model model = Model.newInstance("linear")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            assertThrows(IllegalArgumentException.class, () -> new GradientNormClip(model.getBlock(), 0));
            assertThrows(IllegalArgumentException.class, () -> new GradientNormClip(model.getBlock(), Double.NaN));
        }
    }

    /** One backward pass of a squared error against targets {@code target} away. */
    private static void backward(Trainer trainer, float target) {
        try (var scope = trainer.getManager().newSubManager(); GradientCollector collector = trainer.newGradientCollector()) {
            NDArray x = scope.arange(12f).reshape(4, 3).div(10f);
            NDArray y = scope.full(new Shape(4, 2), target);
            NDArray predicted = trainer.forward(new NDList(x)).singletonOrThrow();
            collector.backward(predicted.sub(y).square().mean());
        }
    }

    private static List<float[]> gradients(Trainer trainer) {
        List<float[]> all = new ArrayList<>();
        for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
            try (NDArray gradient = p.getArray().getGradient()) {
                all.add(gradient.toFloatArray());
            }
        }
        return all;
    }

    private static double norm(List<float[]> gradients) {
        double squares = 0;
        for (float[] g : gradients) {
            for (float v : g) {
                squares += (double) v * v;
            }
        }
        return Math.sqrt(squares);
    }
}
