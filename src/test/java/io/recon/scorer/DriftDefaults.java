package io.recon.scorer;

import io.recon.config.ReconConfig;

/** The shipped defaults of {@link ReconConfig.Drift}, for tests that build a {@link DriftMonitor} themselves. */
record DriftDefaults() implements ReconConfig.Drift {
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
    public int exactEvery() {
        return 10;
    }

    @Override
    public double recalibrateMaxAlertShare() {
        return 0.05;
    }
}
