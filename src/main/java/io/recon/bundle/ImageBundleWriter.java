package io.recon.bundle;

import io.recon.nn.vae.ImageScoring;
import io.recon.nn.vae.ConvVaeSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Model;
import io.recon.calibration.ThresholdCalibration;
import io.recon.imaging.Window;
import io.recon.nn.vae.ConvVaeBlock;
import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageVaeScorer;

/**
 * Saves a trained image VAE as a bundle the service loads: the threshold is set on held-out
 * normal images (never trained on) at a target false-positive rate, on the declared alert score,
 * and the quantiles of their scores go to {@code calibration.json}, as for the telemetry bundle.
 */
public final class ImageBundleWriter {

    private final ObjectMapper mapper;
    private final PrintStream out;

    /**
     * How the threshold is set.
     *
     * @param images     normal training images held out for it
     * @param targetFpr  false-positive rate aimed at
     * @param alertScore the score compared with it (see {@link ImageAlertScores})
     */
    public record Calibration(int images, double targetFpr, String alertScore) {

        /** Rejects settings that cannot make a bundle. */
        public void check(ConvVaeBlock.Likelihood likelihood) {
            if (images < 100) {
                throw new IllegalArgumentException("--calibration-images must be at least 100, got " + images);
            }
            if (!(targetFpr > 0 && targetFpr < 1)) {
                throw new IllegalArgumentException("--target-fpr must be in (0, 1), got " + targetFpr);
            }
            if (!ImageAlertScores.all().contains(alertScore)) {
                throw new IllegalArgumentException("--alert-score must be one of " + ImageAlertScores.all() + ", got "
                        + alertScore);
            }
            if (ImageAlertScores.isExcess(alertScore) && likelihood != ConvVaeBlock.Likelihood.BERNOULLI) {
                throw new IllegalArgumentException("--alert-score " + alertScore + " needs --likelihood bernoulli");
            }
        }

        /** The alert score of each held-out normal image. */
        public double[] scores(ImageVaeScorer scorer, List<float[]> heldOut) {
            return ImageScoring.named(alertScore, ImageScoring.scoreAll(scorer, heldOut), heldOut);
        }

        /** The threshold that {@code targetFpr} of these normal scores exceed. */
        public ThresholdCalibration calibrate(double[] normalScores) {
            return ThresholdCalibration.fromNormals(normalScores, targetFpr);
        }
    }

    /**
     * What the service must do to an image before the model sees it.
     *
     * @param pixelScale in words, e.g. "byte / 255"
     * @param modality   DICOM modality of the training data, or null
     * @param window     intensity window of the training data, or null for 8-bit images
     */
    public record Input(String pixelScale, String modality, Window window) {

        /** Plain 8-bit images such as Fashion-MNIST. */
        public static Input bytes() {
            return new Input("byte / 255", null, null);
        }
    }

    public ImageBundleWriter(ObjectMapper mapper, PrintStream out) {
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
     * @param input       how images become model input: pixel scale in words, modality, window
     * @param s           hyper-parameters (geometry, latent size, likelihood, K, seed)
     * @param dataSha256  digest of the training images file (part of the version)
     * @param metrics     evaluation summary for the manifest
     * @param command     the command that rebuilds it
     * @return the threshold
     */
    public double write(Model model, Path dir, Calibration calibration, List<float[]> heldOut,
            ImageModelManifest.Training training, Input input, ConvVaeSettings s, String dataSha256,
            JsonNode metrics, String command) {
        ConvVaeBlock block = (ConvVaeBlock) model.getBlock();
        ImageVaeScorer scorer = new ImageVaeScorer(block, model.getNDManager(), s.iwaeSamples(), s.seed());
        ThresholdCalibration threshold = calibration.calibrate(calibration.scores(scorer, heldOut));
        String what = ImageAlertScores.LOCAL_PEAK.equals(calibration.alertScore())
                ? calibration.alertScore() + " (the largest " + ImageAlertScores.PEAK_WINDOW + "x"
                        + ImageAlertScores.PEAK_WINDOW + " mean of the anomaly map minus each pixel's Bernoulli entropy)"
                : ImageAlertScores.EXCESS.contains(calibration.alertScore())
                        ? calibration.alertScore() + " (the score minus the image's own Bernoulli entropy)"
                        : calibration.alertScore();
        String method = threshold.method(what, "held-out normal training images of " + training.normalDescription()
                + ", never trained on");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String version = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
                + "-" + dataSha256.substring(0, 8);
        ImageModelManifest manifest = new ImageModelManifest(dir.getFileName().toString(), version,
                ImageModelManifest.KIND, now.toString(), block.side(), block.side(), block.downsamplings(),
                block.latentSize(), block.likelihood().id(), input.pixelScale(), input.modality(), input.window(), training,
                new ModelManifest.Scoring(calibration.alertScore(), s.iwaeSamples(), s.seed()),
                new ModelManifest.Calibration(calibration.alertScore(), calibration.targetFpr(), threshold.threshold(),
                        threshold.rows(), method, BundleWriter.CALIBRATION_FILE),
                metrics, command, null);
        BundleWriter.write(mapper, dir, model, ImageModelManifest.PARAMS_PREFIX, manifest::withFiles,
                calibration.alertScore(),
                threshold.quantiles());
        out.printf("bundle written to %s: threshold %.4f on %s (%.1f%% of %,d held-out normal images above it)%n", dir,
                threshold.threshold(), calibration.alertScore(), 100 * threshold.achievedFpr(), threshold.rows());
        return threshold.threshold();
    }
}
