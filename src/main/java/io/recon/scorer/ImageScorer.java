package io.recon.scorer;

import io.recon.nn.vae.ImageAlertScores;
import io.recon.nn.vae.ImageVaeScorer;
import io.recon.event.Verdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.recon.calibration.ScoreCalibration;
import io.recon.calibration.Severity;
import io.recon.imaging.GrayImage;
import io.recon.event.ImageEvent;
import io.recon.event.ImageEventDecoder;
import io.recon.bundle.ImageModelBundle;
import io.recon.bundle.ImageModelManifest;

/**
 * Scores image events with one image bundle: decode, resize to the model's input size, one VAE
 * pass per batch, and a verdict per event; an alert carries its per-pixel anomaly map as a small
 * PNG. Plain Java with no framework, shared by the Kafka stream and the REST API.
 */
public final class ImageScorer {

    /** Stream name in verdicts, metrics and topics. */
    public static final String STREAM = "imaging";

    private final ImageModelBundle bundle;
    private final ImageEventDecoder decoder;
    private final Clock clock;

    /**
     * @param bundle  the model
     * @param decoder envelope and image decoder
     * @param clock   time source of {@code scoredAt}
     */
    public ImageScorer(ImageModelBundle bundle, ImageEventDecoder decoder, Clock clock) {
        this.bundle = bundle;
        this.decoder = decoder;
        this.clock = clock;
    }

    /** The bundle in use. */
    public ImageModelBundle bundle() {
        return bundle;
    }

    /** The decoder (the REST path decodes JSON trees with it). */
    public ImageEventDecoder decoder() {
        return decoder;
    }

    /** Decodes and scores raw payloads; the outcomes are in input order. */
    public List<Outcome> scorePayloads(List<byte[]> payloads) {
        return score(DecodedBatch.decode(payloads, decoder::decode));
    }

    /** Scores decoded events; the outcomes are in input order. */
    public List<Outcome> scoreEvents(List<ImageEvent> events) {
        return score(DecodedBatch.of(events));
    }

    private List<Outcome> score(DecodedBatch<ImageEvent> batch) {
        ImageModelManifest m = bundle.manifest();
        List<float[]> inputs = new ArrayList<>();
        for (ImageEvent event : batch.events()) {
            if (event != null) {
                inputs.add(event.image().resize(m.width(), m.height()).pixels());
            }
        }
        List<ImageVaeScorer.ImageScore> scored = bundle.scorer().score(inputs);
        long now = clock.millis();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        int row = 0;
        for (int i = 0; i < batch.size(); i++) {
            ImageEvent event = batch.events().get(i);
            if (event == null) {
                outcomes.add(Outcome.rejected(batch.rejections().get(i)));
            } else {
                outcomes.add(Outcome.scored(verdict(event, inputs.get(row), scored.get(row), now)));
                row++;
            }
        }
        return outcomes;
    }

    private Verdict verdict(ImageEvent event, float[] pixels, ImageVaeScorer.ImageScore scored, long now) {
        ImageModelManifest m = bundle.manifest();
        String scoreName = m.scoring().alertScore();
        double score = ImageAlertScores.byName(scoreName, scored, pixels);
        ScoreCalibration calibration = bundle.calibration();
        Severity severity = calibration.severity(score);
        boolean alert = severity != Severity.NONE;
        String heatmap = alert ? Base64.getEncoder().encodeToString(heatmapPng(
                ImageAlertScores.heatmap(scoreName, scored, pixels), m.width(), m.height())) : null;
        // The explainer needs the image as the model saw it; at the model's size it is a few KB.
        String input = alert ? Base64.getEncoder().encodeToString(new GrayImage(m.width(), m.height(), pixels,
                "model input").toPng()) : null;
        return new Verdict(event.id(), event.source(), STREAM, event.ts(), now, m.name(), m.version(),
                bundle.device().toString(), scored.scores(), scoreName, score, calibration.threshold(),
                m.calibration().method(), calibration.percentile(score), alert, severity.label(), null, heatmap, null,
                input);
    }

    /**
     * A per-pixel map (see {@link ImageAlertScores#heatmap}) as an 8-bit grayscale PNG of the
     * model's input size: white where the map is highest in this image, black at zero and below
     * (scaled to the image's own maximum).
     */
    static byte[] heatmapPng(float[] map, int width, int height) {
        float[] values = new float[map.length];
        float max = 0f;
        for (int i = 0; i < map.length; i++) {
            float v = map[i];
            values[i] = Float.isFinite(v) ? Math.max(0f, v) : 0f;
            max = Math.max(max, values[i]);
        }
        if (max > 0f) {
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.min(1f, values[i] / max);
            }
        }
        return new GrayImage(width, height, values, "anomaly map").toPng();
    }
}
