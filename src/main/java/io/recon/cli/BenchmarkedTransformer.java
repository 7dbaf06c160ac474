package io.recon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.recon.bundle.ExplainerBundle;
import io.recon.bundle.ModelBundle;
import io.recon.feature.FeatureEncoder;
import io.recon.nn.explainer.FeatureTokens;
import io.recon.nn.explainer.MaskedFeatureModel;

/**
 * The masked-feature transformer {@code explain-benchmark} judges, and each feature's median surprise
 * in normal rows (what its excess surprise is measured from): either an explainer bundle as the
 * explainer role serves it, or a transformer fitted in the command on the scoring bundle's training
 * rows, with medians measured as {@code train-explainer} does, on the calibration part's normal rows.
 */
final class BenchmarkedTransformer implements AutoCloseable {

    private final MaskedFeatureModel model;
    private final AutoCloseable owner;
    private final double[] medians;
    private final String source;
    private final String mediansSource;

    private BenchmarkedTransformer(MaskedFeatureModel model, AutoCloseable owner, double[] medians, String source,
            String mediansSource) {
        this.model = model;
        this.owner = owner;
        this.medians = medians;
        this.source = source;
        this.mediansSource = mediansSource;
    }

    /**
     * The explainer bundle in {@code dir}, which must read the scoring bundle's features exactly.
     *
     * @throws IllegalArgumentException when its input schema is not the scoring bundle's
     */
    static BenchmarkedTransformer load(Path dir, ModelBundle scoring, ObjectMapper mapper, PrintStream out) {
        ExplainerBundle bundle = ExplainerBundle.load(dir, Device.cpu(), mapper);
        try {
            ExplainerBundle.Manifest m = bundle.manifest();
            if (!m.inputSchema().equals(scoring.encoder().specs())) {
                throw new IllegalArgumentException(dir + " explains other features than " + scoring.directory()
                        + " (its input schema differs), so it cannot read that bundle's rows");
            }
            if (m.normalSurprise() == null || m.normalSurprise().median().length != m.inputSchema().size()) {
                throw new IllegalArgumentException(dir + " has no normal surprise median per feature");
            }
            if (!m.explains().model().equals(scoring.manifest().name())
                    || !m.explains().version().equals(scoring.manifest().version())) {
                out.printf("note: %s was trained for %s %s, benchmarked here with %s %s (same features)%n", dir,
                        m.explains().model(), m.explains().version(), scoring.manifest().name(),
                        scoring.manifest().version());
            }
            return new BenchmarkedTransformer(bundle.model(), bundle, m.normalSurprise().median().clone(),
                    dir + " (" + m.name() + " " + m.version() + ", trained on " + m.training().trainRows()
                            + " training rows of " + m.explains().model() + " " + m.explains().version() + ")",
                    "the bundle's manifest (normalSurprise.median, measured by train-explainer on "
                            + m.training().normalRows() + " normal rows of the calibration part)");
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * A transformer fitted on {@code training} with the default settings and {@code epochs} epochs;
     * medians measured on {@code calibrationNormals}.
     */
    static BenchmarkedTransformer fit(FeatureEncoder encoder, List<float[]> training, List<float[]> calibrationNormals,
            int epochs) {
        if (calibrationNormals.isEmpty()) {
            throw new IllegalArgumentException("no normal row in the calibration part to measure normal surprise on");
        }
        MaskedFeatureModel.Settings settings = MaskedFeatureModel.Settings.defaults().withEpochs(epochs);
        settings = settings.withBatchSize(Math.min(settings.batchSize(), training.size()));
        MaskedFeatureModel model = MaskedFeatureModel.train(FeatureTokens.of(encoder), training, settings, line -> { });
        try {
            double[] medians = TrainExplainerCommand.normalSurprise(model.explain(calibrationNormals),
                    encoder.specs().size()).median();
            return new BenchmarkedTransformer(model, model, medians, "fitted here on " + training.size()
                    + " training rows, " + epochs + " epochs, default settings", "measured here on "
                    + calibrationNormals.size() + " normal rows of the calibration part");
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Each row's per-feature surprise (nats, the feature hidden alone). */
    double[][] surprise(List<float[]> rows) {
        return model.explain(rows).stream().map(MaskedFeatureModel.Explanation::surprise).toArray(double[][]::new);
    }

    /** Per row, an encoded row of the value expected of each feature hidden alone. */
    List<float[]> expectedRows(List<float[]> rows) {
        return model.expectedRows(rows);
    }

    /** Per feature, the median surprise over normal rows. */
    double[] medians() {
        return medians.clone();
    }

    /** Where the transformer came from, in words. */
    String source() {
        return source;
    }

    /** Where the medians came from, in words. */
    String mediansSource() {
        return mediansSource;
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the transformer", e);
        }
    }
}
