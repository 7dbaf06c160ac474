package io.recon.scorer;

import io.recon.event.Contribution;
import io.recon.nn.vae.ScoredRow;
import io.recon.event.Verdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.recon.calibration.ScoreCalibration;
import io.recon.calibration.Severity;
import io.recon.event.InvalidEventException;
import io.recon.event.TelemetryEvent;
import io.recon.event.TelemetryEventDecoder;
import io.recon.feature.FeatureEncoder;
import io.recon.feature.FeatureSpec;
import io.recon.bundle.ModelBundle;
import io.recon.bundle.ModelManifest;

/**
 * Scores telemetry events with one model bundle: decode, encode, one VAE pass per batch, and a
 * verdict per event. Plain Java with no framework, shared by the Kafka stream and the REST API
 * so both give the same answer for the same event.
 */
public final class TelemetryScorer {

    /** Stream name in verdicts, metrics and topics. */
    public static final String STREAM = "telemetry";

    private final ModelBundle bundle;
    private final TelemetryEventDecoder decoder;
    private final int topContributions;
    private final Clock clock;
    private final String calibrationText;
    private final int twoStageFrom;
    private final int exactEvery;

    /**
     * @param bundle           the model
     * @param decoder          envelope decoder
     * @param topContributions contributions listed per alert
     * @param clock            time source of {@code scoredAt}
     * @param twoStageFrom     score batches of at least this many events in two stages ({@link
     *                         io.recon.nn.vae.VaeScorer#scoreTwoStage}) when the bundle alerts on the IWAE
     *                         bound: the same alerts, K samples only for events that may alert; 0 never
     */
    public TelemetryScorer(ModelBundle bundle, TelemetryEventDecoder decoder, int topContributions, Clock clock,
            int twoStageFrom) {
        this(bundle, decoder, topContributions, clock, twoStageFrom, 0);
    }

    /**
     * As above, and with two stages, the events {@link DriftSample} picks (one in {@code exactEvery}, by
     * id; 0 none) get the K-sample score even when their bound settles them, for the drift window.
     */
    public TelemetryScorer(ModelBundle bundle, TelemetryEventDecoder decoder, int topContributions, Clock clock,
            int twoStageFrom, int exactEvery) {
        this.bundle = bundle;
        this.exactEvery = exactEvery;
        this.decoder = decoder;
        this.topContributions = topContributions;
        this.clock = clock;
        this.twoStageFrom = "iwae".equals(bundle.manifest().scoring().alertScore()) ? twoStageFrom : 0;
        ModelManifest.Calibration c = bundle.manifest().calibration();
        this.calibrationText = c.method();
    }

    /** The bundle in use. */
    public ModelBundle bundle() {
        return bundle;
    }

    /** Decodes and scores raw payloads; the outcomes are in input order. */
    public List<Outcome> scorePayloads(List<byte[]> payloads) {
        return score(DecodedBatch.decode(payloads, decoder::decode));
    }

    private List<Outcome> score(DecodedBatch<TelemetryEvent> batch) {
        List<TelemetryEvent> events = batch.events();
        List<InvalidEventException> rejections = batch.rejections();
        FeatureEncoder encoder = bundle.encoder();
        List<float[]> rows = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        List<String> rowIds = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            TelemetryEvent event = events.get(i);
            if (event == null) {
                rowOf.add(-1);
                continue;
            }
            try {
                rows.add(encoder.encode(event.features()));
                rowIds.add(event.id());
                rowOf.add(rows.size() - 1);
            } catch (InvalidEventException e) {
                rejections.set(i, e);
                rowOf.add(-1);
            }
        }
        List<ScoredRow> scored = twoStageFrom > 0 && rows.size() >= twoStageFrom
                ? bundle.scorer().scoreTwoStage(rows, bundle.calibration().threshold(),
                        r -> DriftSample.picks(rowIds.get(r), exactEvery)).rows()
                : bundle.scorer().score(rows);
        long now = clock.millis();
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            int row = rowOf.get(i);
            if (row < 0) {
                outcomes.add(Outcome.rejected(rejections.get(i)));
            } else {
                outcomes.add(Outcome.scored(verdict(events.get(i), scored.get(row), now)));
            }
        }
        return outcomes;
    }

    private Verdict verdict(TelemetryEvent event, ScoredRow row, long now) {
        ModelManifest m = bundle.manifest();
        String scoreName = m.scoring().alertScore();
        double score = row.scores().byName(scoreName);
        ScoreCalibration calibration = bundle.calibration();
        Severity severity = calibration.severity(score);
        boolean alert = severity != Severity.NONE;
        return new Verdict(event.id(), event.source(), STREAM, event.ts(), now, m.name(), m.version(),
                bundle.device().toString(), row.scores(), scoreName, score, calibration.threshold(), calibrationText,
                calibration.percentile(score), alert, severity.label(),
                alert ? contributions(event, row) : null, null, alert ? event.features() : null, null);
    }

    /** Per-feature share of the reconstruction term, largest first. */
    List<Contribution> contributions(TelemetryEvent event, ScoredRow row) {
        FeatureEncoder encoder = bundle.encoder();
        List<FeatureSpec> specs = encoder.specs();
        double[] perFeature = new double[specs.size()];
        double total = 0;
        for (int c = 0; c < row.columnErrors().length; c++) {
            perFeature[encoder.featureOfColumn(c)] += row.columnErrors()[c];
            total += row.columnErrors()[c];
        }
        // Only alerts get here, so encoding the event once more costs nothing that matters.
        float[] input = encoder.encode(event.features());
        List<Contribution> all = new ArrayList<>();
        for (int f = 0; f < specs.size(); f++) {
            FeatureSpec spec = specs.get(f);
            Object expected;
            Double deviation = null;
            if (spec.kind() == FeatureSpec.Kind.NUMERIC) {
                int c = encoder.offset(f);
                expected = round(encoder.toOriginalUnits(f, row.reconstructed()[c]));
                // columnErrors = 0.5 * ((x - mean) / sd)^2, so |x - mean| / sd = sqrt(2 * error).
                deviation = Math.round(Math.signum(input[c] - row.reconstructed()[c])
                        * Math.sqrt(2 * row.columnErrors()[c]) * 10) / 10.0;
            } else {
                int best = 0;
                for (int s = 1; s < spec.width(); s++) {
                    if (row.reconstructed()[encoder.offset(f) + s] > row.reconstructed()[encoder.offset(f) + best]) {
                        best = s;
                    }
                }
                expected = encoder.categoryAt(f, best);
            }
            all.add(new Contribution(spec.name(), event.features().get(spec.name()), expected,
                    round(perFeature[f]), total > 0 ? round(perFeature[f] / total) : 0, deviation));
        }
        all.sort(Comparator.comparingDouble(Contribution::nats).reversed());
        return List.copyOf(all.subList(0, Math.min(topContributions, all.size())));
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
