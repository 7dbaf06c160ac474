package io.recon.scorer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recon.calibration.ScoreCalibration;
import io.recon.event.EventScores;
import io.recon.event.InvalidEventException;
import io.recon.event.Verdict;

/** What the monitor keeps of a batch's outcomes, and the gauges it exports. */
class DriftMonitorTest {

    private static final double[] QUANTILES = {0, 25, 50, 75, 100};
    private final DriftReference reference = new DriftReference("m", "v1", new ScoreCalibration(90, QUANTILES),
            1000, 0.01);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DriftMonitor monitor = new DriftMonitor(new DriftDefaults(), meters);

    private static Outcome scored(double score, boolean bound) {
        return scored("e", score, bound);
    }

    private static Outcome scored(String id, double score, boolean bound) {
        return Outcome.scored(new Verdict(id, "s", "telemetry", 0, 0, "m", "v1", "cpu",
                new EventScores(1, score, score, bound), "iwae", score, 90, "", 0, score > 90, "none", null, null,
                null, null));
    }

    /** The {@code n}-th event id that two-stage scoring's drift sample picks ({@code true}) or passes over. */
    private static String id(boolean picked, int n) {
        int found = 0;
        for (int i = 0;; i++) {
            if (DriftSample.picks("e" + i, new DriftDefaults().exactEvery()) == picked && found++ == n) {
                return "e" + i;
            }
        }
    }

    @Test
    void keepsCalibratedScoresOnlyAndAlertsOnlyForRecalibration() {
        assertNull(monitor.report(reference).psi(), "nothing scored yet");
        // A batch with a bound was scored in two stages: of its exact scores only the sample's count,
        // so the event near the threshold that is outside the sample (85) stays out.
        monitor.observe(reference, List.of(scored(id(true, 0), 10, false), scored(id(true, 1), 95, false),
                scored(id(false, 0), 20, true), scored(id(false, 1), 85, false),
                Outcome.rejected(new InvalidEventException("bad", "bad")), scored(id(true, 2), Double.NaN, false)));
        DriftReport r = monitor.report(reference);
        assertEquals(1, r.windowEvents(), "the bound and the alert stay out of the statistics");
        assertEquals(2, r.recentEvents());
        assertEquals(0.5, r.recentAlertShare(), 1e-9);
        assertArrayEquals(new double[] {10, 95}, monitor.recentScores("m").orElseThrow());
        assertFalse(r.drifting(), "too few events to judge");
    }

    @Test
    void judgesOnlyAFullEnoughWindowAndExportsGauges() {
        List<Outcome> low = new ArrayList<>();
        for (int i = 0; i < 499; i++) {
            low.add(scored(1 + i % 10, false)); // all in the lowest tenth of the calibration
        }
        monitor.observe(reference, low);
        DriftReport r = monitor.report(reference);
        assertTrue(r.psi() > r.psiAlertLevel() && r.ks() > r.ksAlertLevel(), "far from calibration");
        assertFalse(r.drifting(), "499 < min events");
        monitor.observe(reference, List.of(scored(5, false)));
        assertTrue(monitor.report(reference).drifting());
        assertEquals(monitor.report(reference).psi(), meters.get("recon.drift.psi").tag("model", "m").gauge().value(),
                1e-12);
        assertEquals(500, meters.get("recon.drift.window.events").tag("model", "m").gauge().value());
        assertEquals(0.2, meters.get("recon.drift.psi.alert.level").tag("model", "m").gauge().value());
    }

    @Test
    void aNewVersionStartsAfreshARecalibrationDoesNot() {
        monitor.observe(reference, List.of(scored(10, false), scored(20, false)));
        DriftReference recalibrated = new DriftReference("m", "v1", new ScoreCalibration(80, QUANTILES), 1000, 0.01);
        assertEquals(2, monitor.report(recalibrated).windowEvents());
        assertEquals(80, monitor.report(recalibrated).threshold());
        DriftReference retrained = new DriftReference("m", "v2", new ScoreCalibration(90, QUANTILES), 1000, 0.01);
        monitor.observe(retrained, List.of(scored(30, false)));
        assertEquals(1, monitor.report(retrained).windowEvents());
        assertArrayEquals(new double[] {30}, monitor.recentScores("m").orElseThrow());
    }

    @Test
    void aboutOneEventInTenIsSampledAlwaysTheSameOnes() {
        int picked = 0;
        for (int i = 0; i < 20_000; i++) {
            String id = "curl-http-" + i;
            boolean p = DriftSample.picks(id, 10);
            assertEquals(p, DriftSample.picks(id, 10));
            picked += p ? 1 : 0;
        }
        assertTrue(picked > 1800 && picked < 2200, picked + " of 20,000");
        assertTrue(DriftSample.picks("x", 1));
        assertFalse(DriftSample.picks("x", 0));
    }
}
