package io.recon.nn;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;

/**
 * Adam as every Recon model trains with it: the step size rises linearly from zero over the first
 * steps (Adam's second-moment estimate is noisy at first, and a full-size first step on a small
 * data set can throw a fresh network far off), element-wise gradient clipping at 5.
 */
public final class WarmedUpAdam {

    /** Optimiser steps over which the learning rate rises to its full value. */
    public static final int WARM_UP_STEPS = 100;
    /** Gradients are clipped element-wise to [-5, 5] inside the update. */
    static final float CLIP_GRADIENT = 5f;

    private WarmedUpAdam() {
    }

    /** Adam at {@code learningRate} after a linear warm-up of {@link #WARM_UP_STEPS} steps. */
    public static Optimizer create(double learningRate) {
        Tracker tracker = WarmUpTracker.builder()
                .setMainTracker(Tracker.fixed((float) learningRate))
                .optWarmUpBeginValue(0f)
                .optWarmUpSteps(WARM_UP_STEPS)
                .build();
        return Optimizer.adam().optLearningRateTracker(tracker).optClipGrad(CLIP_GRADIENT).build();
    }
}
