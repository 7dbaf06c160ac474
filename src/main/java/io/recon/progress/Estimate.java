package io.recon.progress;

import java.util.Locale;

/**
 * Rate and time left of work that has done {@code done} of {@code total} units in {@code elapsed}
 * seconds, at the mean rate so far (the one sum of every progress line and bar).
 *
 * @param elapsedSeconds seconds since the work started
 * @param rate           units per second so far; 0 before the first unit or the first nanosecond
 * @param etaSeconds     seconds left at that rate; NaN while the rate is unknown, 0 when done
 */
public record Estimate(double elapsedSeconds, double rate, double etaSeconds) {

    /** The estimate for {@code done} of {@code total} units after {@code elapsedNanos}. */
    public static Estimate of(long done, long total, long elapsedNanos) {
        double elapsed = Math.max(0, elapsedNanos) / 1e9;
        double rate = done > 0 && elapsed > 0 ? done / elapsed : 0;
        double eta;
        if (done >= total) {
            eta = 0;
        } else if (rate > 0) {
            eta = (total - done) / rate;
        } else {
            eta = Double.NaN;
        }
        return new Estimate(elapsed, rate, eta);
    }

    /** "0:07", "12:05", "1:02:03"; "?" for an unknown (NaN or infinite) time. */
    public static String clock(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(Math.max(0, seconds));
        long h = s / 3600;
        long m = s / 60 % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", m, s % 60);
    }

    /** A rate with three significant figures at most: "1234", "98.3", "0.25". */
    public static String rate(double perSecond) {
        if (perSecond >= 100) {
            return String.format(Locale.ROOT, "%.0f", perSecond);
        }
        return String.format(Locale.ROOT, perSecond >= 10 ? "%.1f" : "%.2f", perSecond);
    }
}
