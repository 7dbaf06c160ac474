package io.recon.scorer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.recon.calibration.DriftStatistics;
import io.recon.calibration.ScoreWindow;
import io.recon.config.ReconConfig;
import io.recon.evaluation.BinaryMetrics;
import io.recon.event.Verdict;

/**
 * Watches each scoring model's recent scores against its calibration ({@link DriftStatistics}): the
 * scoring services hand it every batch's outcomes; it keeps per model a window of non-alerting scores
 * (the statistics) and one of all scores (what a recalibration sets a threshold from), and exports
 * {@code recon_drift_*} gauges. Scores that two-stage scoring settled with a one-sample bound are
 * not the calibrated score and are left out (the events {@link DriftSample} picks get the true one).
 */
@ApplicationScoped
public class DriftMonitor {

    private final ReconConfig.Drift config;
    private final MeterRegistry meters;
    private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

    @Inject
    DriftMonitor(ReconConfig config, MeterRegistry meters) {
        this(config.drift(), meters);
    }

    /** A monitor outside CDI (tests, commands). */
    public DriftMonitor(ReconConfig.Drift config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
    }

    /** Takes the scores of one batch scored by the model of {@code reference}. */
    public void observe(DriftReference reference, List<Outcome> outcomes) {
        Tracker tracker = tracker(reference);
        // Where two stages left bounds, the exact scores are every alert, every event near the
        // threshold and the sample: all of them would over-weight the upper tail (false drift, a
        // threshold set too high). Only the sample, picked by id whatever its score, is unbiased.
        boolean twoStage = outcomes.stream().anyMatch(o -> o.verdict() != null && o.verdict().scores().bound());
        for (Outcome o : outcomes) {
            Verdict v = o.verdict();
            if (v == null || v.scores().bound() || !Double.isFinite(v.score())) {
                continue;
            }
            if (twoStage && !DriftSample.picks(v.eventId(), config.exactEvery())) {
                continue;
            }
            tracker.recent.add(v.score());
            if (!v.alert()) {
                tracker.normals.add(v.score());
            }
        }
    }

    /** The drift of a loaded model (empty windows when it has scored nothing yet). */
    public DriftReport report(DriftReference reference) {
        Tracker tracker = trackers.get(reference.model());
        if (tracker == null) {
            return empty(reference);
        }
        tracker.follow(reference);
        return tracker.report();
    }

    /** Every score of the model's recent window, alerts included, oldest first; empty when unknown. */
    public Optional<double[]> recentScores(String model) {
        return Optional.ofNullable(trackers.get(model)).map(t -> t.recent.snapshot());
    }

    private Tracker tracker(DriftReference reference) {
        Tracker tracker = trackers.computeIfAbsent(reference.model(), m -> {
            Tracker t = new Tracker(reference);
            register(t);
            return t;
        });
        tracker.follow(reference);
        return tracker;
    }

    private DriftReport empty(DriftReference r) {
        return new DriftReport(r.model(), r.version(), 0, config.windowSize(), config.minEvents(), null, null,
                config.psiAlertLevel(), null, config.ksSignificance(), false, r.calibration().threshold(),
                r.calibrationRows(), r.targetFpr(), 0, null);
    }

    private void register(Tracker t) {
        String model = t.reference.model();
        gauge("recon.drift.psi", "Population stability index of recent non-alerting scores against calibration",
                model, t, r -> nan(r.psi()));
        gauge("recon.drift.ks", "Kolmogorov-Smirnov distance of recent non-alerting scores to calibration", model,
                t, r -> nan(r.ks()));
        gauge("recon.drift.psi.alert.level", "PSI above which the model counts as drifting", model, t,
                DriftReport::psiAlertLevel);
        gauge("recon.drift.ks.alert.level", "KS distance above which the model counts as drifting (critical "
                + "value for the window's size)", model, t, r -> nan(r.ksAlertLevel()));
        gauge("recon.drift.window.events", "Non-alerting scores in the drift window", model, t,
                DriftReport::windowEvents);
        gauge("recon.drift.window.size", "Scores the drift window keeps", model, t, DriftReport::windowSize);
        gauge("recon.drift.window.min.events", "Scores the drift window needs before it is judged", model, t,
                DriftReport::minEvents);
    }

    private void gauge(String name, String description, String model, Tracker t,
            ToDoubleFunction<DriftReport> value) {
        Gauge.builder(name, t, tracker -> value.applyAsDouble(tracker.report())).description(description)
                .tag("model", model).strongReference(true).register(meters);
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** One model's windows, and its last report until a score arrives. */
    private final class Tracker {
        final ScoreWindow normals = new ScoreWindow(config.windowSize());
        final ScoreWindow recent = new ScoreWindow(config.windowSize());
        volatile DriftReference reference;
        private DriftReport cached;
        private long cachedAt = -1;
        private DriftReference cachedFor;

        Tracker(DriftReference reference) {
            this.reference = reference;
        }

        /**
         * Measures against the calibration now in force. A new version of the model (a retrain) scores
         * on a scale of its own: the old version's scores are dropped. A recalibration keeps the version
         * and the scores.
         */
        synchronized void follow(DriftReference current) {
            if (!current.version().equals(reference.version())) {
                normals.clear();
                recent.clear();
            }
            reference = current;
        }

        synchronized DriftReport report() {
            long added = normals.added() + recent.added();
            DriftReference r = reference;
            if (cached == null || cachedAt != added || cachedFor != r) {
                cached = compute(r);
                cachedAt = added;
                cachedFor = r;
            }
            return cached;
        }

        private DriftReport compute(DriftReference r) {
            double[] window = normals.snapshot();
            double[] all = recent.snapshot();
            double threshold = r.calibration().threshold();
            if (window.length == 0) {
                DriftReport e = empty(r);
                return new DriftReport(e.model(), e.version(), 0, e.windowSize(), e.minEvents(), null, null,
                        e.psiAlertLevel(), null, e.ksSignificance(), false, threshold, e.calibrationRows(),
                        e.targetFpr(), all.length, alertShare(all, threshold));
            }
            DriftStatistics.Figures f = DriftStatistics.of(r.calibration(), window, config.psiBins());
            double ksLevel = DriftStatistics.ksCriticalValue(window.length, r.calibrationRows(),
                    config.ksSignificance());
            boolean judged = window.length >= config.minEvents();
            boolean drifting = judged && (f.psi() > config.psiAlertLevel() || f.ks() > ksLevel);
            return new DriftReport(r.model(), r.version(), window.length, normals.size(), config.minEvents(),
                    f.psi(), f.ks(), config.psiAlertLevel(), ksLevel, config.ksSignificance(), drifting, threshold,
                    r.calibrationRows(), r.targetFpr(), all.length, alertShare(all, threshold));
        }
    }
    private static Double alertShare(double[] scores, double threshold) {
        return scores.length == 0 ? null : BinaryMetrics.fractionAbove(scores, threshold);
    }
}
