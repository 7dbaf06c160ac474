package io.recon.scorer;

import io.recon.config.ReconConfig;

/**
 * The shipped defaults of {@link ReconConfig.Drift}, for tests that build a {@link DriftMonitor} themselves;
 * {@code exactEvery} can be set (one event in how many two-stage scoring scores in full).
 */
record DriftDefaults(int exactEvery) implements ReconConfig.Drift {

    DriftDefaults() {
        this(10);
    }

    @Override
    public int windowSize() {
        return 2000;
    }

    @Override
    public int minEvents() {
        return 500;
    }

    @Override
    public double psiAlertLevel() {
        return 0.2;
    }

    @Override
    public int psiBins() {
        return 10;
    }

    @Override
    public double ksSignificance() {
        return 0.001;
    }

    @Override
    public double recalibrateMaxAlertShare() {
        return 0.05;
    }
}
