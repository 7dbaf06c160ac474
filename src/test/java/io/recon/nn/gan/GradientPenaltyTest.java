package io.recon.nn.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * The critic's hand-written input gradient and the WGAN-GP penalty built on it, on a tiny critic in
 * double precision: the input gradient equals libtorch's, the penalty's gradient in the weights is
 * not zero, equals central finite differences, and equals what libtorch's double backward
 * ({@code backward(create_graph=true)}, the route the critic avoids) gives.
 */
@Tag("plain-djl")
class GradientPenaltyTest {

    private static final int PAC = 2;
    private static final int ROW = 3;
    private static final int PACKS = 4;

    private NDManager manager;
    private GanCriticBlock critic;
    private ParameterStore store;
    private NDArray real;
    private NDArray fake;
    private NDArray alpha;
    private GanCriticBlock.DropoutMasks masks;

    @BeforeEach
    void tinyCritic() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
        critic = new GanCriticBlock(ROW, List.of(5, 4), PAC);
        critic.initialize(manager, DataType.FLOAT64, new Shape(PACKS, PAC * ROW));
        store = new ParameterStore(manager, false);
        Random random = new Random(12);
        real = manager.create(gaussian(random, PACKS * PAC * ROW), new Shape(PACKS, PAC * ROW));
        fake = manager.create(gaussian(random, PACKS * PAC * ROW), new Shape(PACKS, PAC * ROW));
        alpha = manager.create(new double[] {0.1, 0.5, 0.7, 0.95}, new Shape(PACKS, 1));
        masks = GanCriticBlock.DropoutMasks.draw(manager, random, PACKS, critic.hidden(), DataType.FLOAT64);
    }

    @AfterEach
    void release() {
        manager.close();
    }

    @Test
    void theInputGradientIsLibtorchsGradient() {
        NDArray x = real.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(critic.score(store, x, masks, true).sum());
        }
        double[] autograd = x.getGradient().toDoubleArray();
        double[] explicit = critic.scoreAndInputGradient(store, real, masks, true).get(1).toDoubleArray();
        assertArrayEquals(autograd, explicit, 1e-12);
        // And the scores of both passes agree.
        assertArrayEquals(critic.score(store, real, masks, true).toDoubleArray(),
                critic.scoreAndInputGradient(store, real, masks, true).get(0).toDoubleArray(), 1e-12);
    }

    @Test
    void thePenaltysGradientInTheWeightsIsRightAndNotZero() {
        List<double[]> analytic = penaltyGradients();
        List<Parameter> weights = weights();
        for (int p = 0; p < weights.size(); p++) {
            double largest = Arrays.stream(analytic.get(p)).map(Math::abs).max().orElse(0);
            // Through the weights only: the input gradient of a piecewise-linear critic does not
            // depend on the biases (they only choose which piece), so their gradient is zero.
            boolean weight = weights.get(p).getName().endsWith("weight");
            assertTrue(weight ? largest > 1e-3 : largest == 0, weights.get(p).getName() + ": largest gradient "
                    + largest);
        }
        double h = 1e-6;
        for (int p = 0; p < weights.size(); p++) {
            NDArray w = weights.get(p).getArray();
            int size = (int) w.size();
            for (int i = 0; i < size; i += Math.max(1, size / 7)) { // a spread of entries of each tensor
                double[] step = new double[size];
                step[i] = h;
                try (NDArray delta = manager.create(step, w.getShape())) {
                    w.addi(delta);
                    double up = penalty();
                    w.subi(delta).subi(delta);
                    double down = penalty();
                    w.addi(delta);
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, analytic.get(p)[i], 1e-6 * Math.max(1, Math.abs(numeric)),
                            weights.get(p).getName() + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void thePenaltysGradientIsWhatLibtorchsDoubleBackwardGives() {
        List<double[]> analytic = penaltyGradients();
        zeroGradients();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray xhat = real.mul(alpha).add(fake.mul(alpha.neg().add(1)));
            xhat.setRequiresGradient(true);
            NDArray d = critic.score(store, xhat, masks, true).sum();
            JniUtils.backward((PtNDArray) d, (PtNDArray) manager.ones(d.getShape(), d.getDataType()), true, true);
            NDArray gradient = xhat.getGradient();
            zeroGradients(); // the first backward's first-order gradients in the weights are not the penalty's
            NDArray norm = gradient.square().sum(new int[] {1}).add(1e-12).sqrt();
            collector.backward(norm.sub(1).square().mean().mul(10));
        }
        List<Parameter> weights = weights();
        for (int p = 0; p < weights.size(); p++) {
            assertArrayEquals(gradient(weights.get(p)), analytic.get(p), 1e-10, weights.get(p).getName());
        }
    }

    @Test
    void dropoutMasksKeepHalfAndScaleByTwo() {
        GanCriticBlock.DropoutMasks big = GanCriticBlock.DropoutMasks.draw(manager, new Random(3), 200, List.of(256),
                DataType.FLOAT32);
        float[] m = big.masks().get(0).toFloatArray();
        long zeros = 0;
        for (float v : m) {
            assertTrue(v == 0f || v == 2f, "mask value " + v);
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(0.5, (double) zeros / m.length, 0.01);
    }

    /** The penalty's gradient in each weight tensor, through the critic's explicit input gradient. */
    private List<double[]> penaltyGradients() {
        zeroGradients();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(GradientPenalty.of(critic, store, real, fake, alpha, masks, 10));
        }
        List<double[]> out = new ArrayList<>();
        for (Parameter p : weights()) {
            out.add(gradient(p));
        }
        return out;
    }

    /** A parameter's gradient; zeros where no backward pass reached it (DJL then gives float32 zeros). */
    private static double[] gradient(Parameter p) {
        try (NDArray g = p.getArray().getGradient(); NDArray d = g.toType(DataType.FLOAT64, false)) {
            return d.toDoubleArray();
        }
    }

    private double penalty() {
        return GradientPenalty.of(critic, store, real, fake, alpha, masks, 10).getDouble();
    }

    private List<Parameter> weights() {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : critic.getParameters()) {
            out.add(p.getValue());
        }
        return out;
    }

    private void zeroGradients() {
        for (Parameter p : weights()) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    private static double[] gaussian(Random random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextGaussian();
        }
        return out;
    }
}
