package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recon.bundle.ModelBundle;
import io.recon.data.DatasetSplit;
import io.recon.data.Table;
import io.recon.data.TabularReader;
import io.recon.event.TelemetryEventDecoder;
import io.recon.event.Verdict;
import io.recon.replay.FlowEventFactory;

/**
 * The drift acceptance test, through the committed telemetry model and the real scorer: traffic
 * from the hold-out capture (the same generators run with other parameters: other file sizes, RPC
 * payloads, DNS record types, see tests/capture/capture-flows.sh) drifts within a bounded number of
 * events; held-out normal rows of the training capture (its test part: neither trained nor calibrated
 * on) do not. Rows are shuffled with a fixed seed, as live traffic interleaves its sources (a capture
 * is recorded one generator after another). The defaults of {@code recon.drift.*} are the levels ({@link DriftDefaults}).
 */
@Tag("plain-djl")
class HoldoutDriftTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int BATCH = 50;

    private static ModelBundle bundle;
    private static TelemetryScorer scorer;

    @BeforeAll
    static void load() {
        bundle = ModelBundle.load(Path.of("models/telemetry-vae"), Device.cpu(), MAPPER);
        // Two stages off: every event gets the calibrated K-sample score, as in the monitor's exact batches.
        scorer = new TelemetryScorer(bundle, new TelemetryEventDecoder(MAPPER), 5, Clock.systemUTC(), 0);
    }

    @AfterAll
    static void close() {
        bundle.close();
    }

    @Test
    void theCalibrationRowsThemselvesShowNoDrift() {
        Table main = TabularReader.read(Path.of(bundle.manifest().training().dataFile()));
        Replay r = replay(main, row -> normal(main, row)
                && DatasetSplit.partOf(id(main, row), true) == DatasetSplit.Part.CALIBRATION);
        assertEquals(bundle.manifest().calibration().rows(), r.events, "the manifest's calibration rows");
        assertTrue(r.last.psi() < 0.01 && r.last.ks() < 0.02, "the committed quantiles describe their rows: " + r);
    }

    @Test
    void heldOutNormalTrafficLikeTheTrainingDataDoesNotDrift() {
        Table main = TabularReader.read(Path.of(bundle.manifest().training().dataFile()));
        Replay r = replay(main, row -> normal(main, row)
                && DatasetSplit.partOf(id(main, row), true) == DatasetSplit.Part.TEST);
        assertTrue(r.last.windowEvents() >= r.last.minEvents(), "judged: " + r);
        assertEquals(-1, r.firstDrifting, "never drifting: " + r);
        assertTrue(r.last.psi() < r.last.psiAlertLevel() / 4, "PSI well under its level: " + r);
        assertTrue(r.last.ks() < r.last.ksAlertLevel(), "KS under its level: " + r);
    }

    @Test
    void theHoldoutCaptureDriftsWithinBoundedEvents() {
        Table holdout = TabularReader.read(Path.of("tests/data/telemetry/flows-holdout.csv.gz"));
        Replay normals = replay(holdout, row -> normal(holdout, row));
        assertTrue(normals.firstDrifting > 0 && normals.firstDrifting <= 1000, "hold-out normal rows: " + normals);
        assertTrue(normals.last.psi() > normals.last.psiAlertLevel(), "PSI over its level: " + normals);
        assertTrue(normals.last.ks() > normals.last.ksAlertLevel(), "KS over its level: " + normals);
        // The whole capture, attacks included (45%): only the events that do not alert fill the window.
        Replay all = replay(holdout, row -> true);
        assertTrue(all.firstDrifting > 0 && all.firstDrifting <= 1500, "whole hold-out capture: " + all);
    }

    @Test
    void twoStageScoringGivesTheSampledEventsTheirCalibratedScore() {
        Table main = TabularReader.read(Path.of(bundle.manifest().training().dataFile()));
        FlowEventFactory events = new FlowEventFactory(MAPPER, main, "drift-test");
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < main.size() && batch.size() < 400; i++) {
            if (normal(main, i) && DatasetSplit.partOf(id(main, i), true) == DatasetSplit.Part.TEST) {
                batch.add(events.event(i, 1, 0).getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Outcome> exact = scorer.scorePayloads(batch);
        List<Outcome> twoStage = new TelemetryScorer(bundle, new TelemetryEventDecoder(MAPPER), 5, Clock.systemUTC(), 1,
                10).scorePayloads(batch);
        int sampled = 0;
        int bounds = 0;
        for (int i = 0; i < batch.size(); i++) {
            Verdict v = twoStage.get(i).verdict();
            if (DriftSample.picks(v.eventId(), 10)) {
                sampled++;
                assertFalse(v.scores().bound(), v.eventId());
                assertEquals(exact.get(i).verdict().score(), v.score(), 1e-3, v.eventId());
            } else if (v.scores().bound()) {
                bounds++;
            }
        }
        assertTrue(sampled > 20 && bounds > 300, sampled + " sampled, " + bounds + " bounds of " + batch.size());
    }

    @Test
    void underTwoStagesOnlyTheSampleFillsTheWindowsSoNormalTrafficStillDoesNotDrift() {
        Table main = TabularReader.read(Path.of(bundle.manifest().training().dataFile()));
        FlowEventFactory events = new FlowEventFactory(MAPPER, main, "drift-test");
        List<byte[]> batch = new ArrayList<>();
        int picked = 0;
        for (int i = 0; i < main.size(); i++) {
            if (normal(main, i) && DatasetSplit.partOf(id(main, i), true) == DatasetSplit.Part.TEST) {
                batch.add(events.event(i, 1, 0).getBytes(StandardCharsets.UTF_8));
                picked += DriftSample.picks(events.id(i, 1), 2) ? 1 : 0;
            }
        }
        // Every second event in the sample (by id), two stages on every batch.
        DriftDefaults settings = new DriftDefaults(2);
        TelemetryScorer twoStage = new TelemetryScorer(bundle, new TelemetryEventDecoder(MAPPER), 5, Clock.systemUTC(),
                1, 2);
        DriftMonitor monitor = new DriftMonitor(settings, new SimpleMeterRegistry());
        DriftReference reference = DriftReference.of(bundle);
        List<Outcome> outcomes = twoStage.scorePayloads(batch);
        long alertsPicked = outcomes.stream().filter(o -> o.verdict().alert()
                && DriftSample.picks(o.verdict().eventId(), 2)).count();
        long nearThresholdOutsideTheSample = outcomes.stream().filter(o -> !o.verdict().scores().bound()
                && !DriftSample.picks(o.verdict().eventId(), 2)).count();
        assertTrue(nearThresholdOutsideTheSample > 0, "some events outside the sample were scored exactly");
        monitor.observe(reference, outcomes);
        DriftReport r = monitor.report(reference);
        assertEquals(picked - alertsPicked, r.windowEvents(), "only the sample's non-alerting events: " + r);
        assertEquals(picked, r.recentEvents(), "only the sample in the recalibration window: " + r);
        assertFalse(r.drifting(), "held-out normal traffic does not drift under two stages: " + r);
    }

    private static boolean normal(Table t, int row) {
        return "normal".equals(t.rows().get(row)[t.columnIndex("label")]);
    }

    private static String id(Table t, int row) {
        return t.rows().get(row)[t.columnIndex("id")];
    }

    /** What a replay showed: events sent, the first count at which the model was drifting, the last report. */
    record Replay(int events, int firstDrifting, DriftReport last) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d events, first drifting after %d, window %d, PSI %.4f (level %.2f), "
                    + "KS %.4f (level %.4f), alerting share %.4f", events, firstDrifting, last.windowEvents(),
                    last.psi(), last.psiAlertLevel(), last.ks(), last.ksAlertLevel(), last.recentAlertShare());
        }
    }

    /** Scores the chosen rows, shuffled, in batches through a fresh monitor with the default levels. */
    private static Replay replay(Table table, Predicate<Integer> chosen) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            if (chosen.test(i)) {
                rows.add(i);
            }
        }
        Collections.shuffle(rows, new Random(7));
        DriftMonitor monitor = new DriftMonitor(new DriftDefaults(), new SimpleMeterRegistry());
        DriftReference reference = DriftReference.of(bundle);
        FlowEventFactory events = new FlowEventFactory(MAPPER, table, "drift-test");
        int firstDrifting = -1;
        DriftReport last = monitor.report(reference);
        for (int start = 0; start < rows.size(); start += BATCH) {
            List<byte[]> batch = new ArrayList<>();
            for (int k = start; k < Math.min(rows.size(), start + BATCH); k++) {
                batch.add(events.event(rows.get(k), 1, 0).getBytes(StandardCharsets.UTF_8));
            }
            monitor.observe(reference, scorer.scorePayloads(batch));
            last = monitor.report(reference);
            if (firstDrifting < 0 && last.drifting()) {
                firstDrifting = start + batch.size();
            }
        }
        Replay replay = new Replay(rows.size(), firstDrifting, last);
        System.out.println(replay);
        assertFalse(last.psi() == null, "scored");
        return replay;
    }
}
