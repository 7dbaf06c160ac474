package io.recon.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Model;
import io.recon.evaluation.BinaryMetrics;
import io.recon.model.ConvVaeBlock;
import io.recon.model.ImageModelManifest;
import io.recon.model.ModelManifest;
import io.recon.scoring.ImageAlertScores;
import io.recon.scoring.ImageVaeScorer;
import io.recon.scoring.ScoreCalibration;

/**
 * Saves a trained image VAE as a bundle the service loads: the threshold is set on held-out
 * normal images (never trained on) at a target false-positive rate, on the declared alert score,
 * and the quantiles of their scores go to {@code calibration.json}, as for the telemetry bundle.
 */
final class ImageBundleWriter {

    private static final int BATCH = 100;

    private final ObjectMapper mapper;
    private final PrintStream out;

    /**
     * How the threshold is set.
     *
     * @param images     normal training images held out for it
     * @param targetFpr  false-positive rate aimed at
     * @param alertScore the score compared with it (see {@link ImageAlertScores})
     */
    record Calibration(int images, double targetFpr, String alertScore) {

        /** Rejects settings that cannot make a bundle. */
        void check(ConvVaeBlock.Likelihood likelihood) {
            if (images < 100) {
                throw new IllegalArgumentException("--calibration-images must be at least 100, got " + images);
            }
            if (!(targetFpr > 0 && targetFpr < 1)) {
                throw new IllegalArgumentException("--target-fpr must be in (0, 1), got " + targetFpr);
            }
            if (!ImageAlertScores.RAW.contains(alertScore) && !ImageAlertScores.EXCESS.contains(alertScore)) {
                throw new IllegalArgumentException("--alert-score must be one of " + ImageAlertScores.RAW + " or "
                        + ImageAlertScores.EXCESS + ", got " + alertScore);
            }
            if (ImageAlertScores.EXCESS.contains(alertScore) && likelihood != ConvVaeBlock.Likelihood.BERNOULLI) {
                throw new IllegalArgumentException("--alert-score " + alertScore + " needs --likelihood bernoulli");
            }
        }
    }

    ImageBundleWriter(ObjectMapper mapper, PrintStream out) {
        this.mapper = mapper;
        this.out = out;
    }

    /**
     * Calibrates and writes the bundle.
     *
     * @param model       the trained model ({@link ConvVaeBlock})
     * @param dir         bundle folder; its name is the model name
     * @param calibration threshold settings
     * @param heldOut     the held-out normal images, pixels in [0,1]
     * @param training    what it was trained on
     * @param s           hyper-parameters (latent size, likelihood, K, seed)
     * @param dataSha256  digest of the training images file (part of the version)
     * @param metrics     evaluation summary for the manifest
     * @param command     the command that rebuilds it
     */
    void write(Model model, Path dir, Calibration calibration, List<float[]> heldOut,
            ImageModelManifest.Training training, FashionMnistBenchmarkCommand.Settings s, String dataSha256,
            JsonNode metrics, String command) {
        ConvVaeBlock block = (ConvVaeBlock) model.getBlock();
        ImageVaeScorer scorer = new ImageVaeScorer(block, model.getNDManager(), s.iwaeSamples(), s.seed());
        double[] scores = new double[heldOut.size()];
        for (int start = 0; start < heldOut.size(); start += BATCH) {
            List<float[]> batch = heldOut.subList(start, Math.min(heldOut.size(), start + BATCH));
            List<ImageVaeScorer.ImageScore> scored = scorer.score(batch);
            for (int i = 0; i < scored.size(); i++) {
                scores[start + i] = ImageAlertScores.byName(calibration.alertScore(), scored.get(i).scores(),
                        batch.get(i));
            }
        }
        double threshold = BinaryMetrics.thresholdAtFpr(scores, calibration.targetFpr());
        String what = ImageAlertScores.EXCESS.contains(calibration.alertScore())
                ? calibration.alertScore() + " (the score minus the image's own Bernoulli entropy)"
                : calibration.alertScore();
        String method = String.format(Locale.ROOT, "%s above the %.1fth percentile of %,d held-out normal training "
                + "images of class %d (%s), never trained on (target false-positive rate %.1f%%)",
                what, 100 * (1 - calibration.targetFpr()), scores.length, training.normalClass(),
                training.normalClassName(), 100 * calibration.targetFpr());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
                + "-" + dataSha256.substring(0, 8);
        ImageModelManifest manifest = new ImageModelManifest(dir.getFileName().toString(), version,
                ImageModelManifest.KIND, now.toString(), ConvVaeBlock.SIDE, ConvVaeBlock.SIDE, block.latentSize(),
                block.likelihood().id(), "byte / 255", training,
                new ModelManifest.Scoring(calibration.alertScore(), s.iwaeSamples(), s.seed()),
                new ModelManifest.Calibration(calibration.alertScore(), calibration.targetFpr(), threshold,
                        scores.length, method, BundleWriter.CALIBRATION_FILE),
                metrics, command);
        BundleWriter.write(mapper, dir, model, ImageModelManifest.PARAMS_PREFIX, manifest, calibration.alertScore(),
                ScoreCalibration.quantilesOf(scores, 1001));
        out.printf("bundle written to %s: threshold %.4f on %s (%.1f%% of %,d held-out normal images above it)%n", dir,
                threshold, calibration.alertScore(), 100 * BinaryMetrics.falsePositiveRate(scores, threshold),
                scores.length);
    }
}
