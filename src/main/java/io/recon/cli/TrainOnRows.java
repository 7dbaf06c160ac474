package io.recon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import ai.djl.Model;
import io.recon.evaluation.BinaryMetrics;
import io.recon.data.FeatureRows;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeaturePlan;
import io.recon.feature.FeaturePlanner;
import io.recon.feature.FeatureSchemaFitter;
import io.recon.feature.ValueKind;
import io.recon.nn.vae.VaeArchitecture;
import io.recon.nn.vae.VaeBlock;
import io.recon.nn.vae.VaeScorer;
import io.recon.nn.vae.VaeTrainer;

/**
 * Train-on-X, test-on-real: fits the feature schema and a tabular VAE on the given rows (real or
 * synthetic) the way {@code train} does, and reports the AUROC of its alert score on real test rows.
 * Whether synthetic rows can stand in for real ones is then a question with a number for an answer.
 *
 * @param plans     column kinds and transforms, planned on all real rows (no labels involved)
 * @param settings  training settings
 * @param hidden    hidden layer widths
 * @param latent    latent dimensions
 * @param score     the alert score
 */
record TrainOnRows(List<FeaturePlan> plans, VaeTrainer.Settings settings, List<Integer> hidden, int latent,
        String score) {

    /** Plans for the columns of {@code real} (cells in feature order), as {@code train} makes them. */
    static List<FeaturePlan> plan(FeatureRows real, Map<String, ValueKind> declared) {
        return FeaturePlanner.plan(real.names(), identity(real.width()), real.numeric(), declared, real.rows());
    }

    /**
     * @param training  the rows to learn from
     * @param test      real rows to score
     * @param anomalous which test rows are anomalies
     * @return the AUROC on {@code test}
     */
    double auroc(FeatureRows training, FeatureRows test, boolean[] anomalous) {
        try (Fitted model = fit(training)) {
            return BinaryMetrics.auroc(model.scores(test), anomalous);
        }
    }

    /** The schema and the VAE fitted on {@code training}; close it to free the parameters. */
    Fitted fit(FeatureRows training) {
        FeatureEncoder encoder = new FeatureEncoder(FeatureSchemaFitter.fit(plans, training.rows()));
        VaeArchitecture arch = new VaeArchitecture(encoder.width(), hidden, latent, -4.6);
        VaeTrainer.Result result = VaeTrainer.train("train-on-rows", arch,
                encode(encoder, training, identity(training.width())), settings, Device.cpu(), line -> { });
        return new Fitted(encoder, result.model(), new VaeScorer((VaeBlock) result.model().getBlock(),
                result.model().getNDManager(), 16, settings.seed() + 1), score);
    }

    /** A fitted model that scores rows of the same columns. */
    record Fitted(FeatureEncoder encoder, Model model, VaeScorer scorer, String score) implements AutoCloseable {

        /** The alert score of each row. */
        double[] scores(FeatureRows rows) {
            return TrainCommand.scores(scorer, encode(encoder, rows, identity(rows.width())), score);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private static List<float[]> encode(FeatureEncoder encoder, FeatureRows rows, int[] columns) {
        List<float[]> out = new ArrayList<>(rows.size());
        for (String[] cells : rows.rows()) {
            out.add(encoder.encodeCells(cells, columns));
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
