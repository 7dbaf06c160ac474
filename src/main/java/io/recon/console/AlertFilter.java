package io.recon.console;

import java.util.Locale;

/**
 * Which alerts a console user wants to see: by stream, model, severity and time; blank fields match
 * everything. Severity is a floor ({@code high} shows high and critical).
 *
 * @param stream   {@code telemetry} or {@code imaging}, or blank
 * @param model    a model name, or blank
 * @param severity the lowest severity shown, or blank
 * @param sinceMs  only alerts scored at or after this time (epoch ms), or 0
 */
public record AlertFilter(String stream, String model, String severity, long sinceMs) {

    private static final String[] SEVERITIES = { "low", "medium", "high", "critical" };

    /** Checks the severity name, so that a typo is an error rather than an empty list. */
    public AlertFilter {
        if (!blank(severity) && rank(severity) < 0) {
            throw new IllegalArgumentException("unknown severity '" + severity + "'; one of low, medium, high, critical");
        }
    }

    /** Whether {@code alert} passes. */
    boolean matches(AlertSummary alert) {
        return (blank(stream) || stream.equals(alert.stream())) && (blank(model) || model.equals(alert.model()))
                && (blank(severity) || rank(alert.severity()) >= rank(severity)) && alert.scoredAt() >= sinceMs;
    }

    private static int rank(String severity) {
        String s = severity.toLowerCase(Locale.ROOT);
        for (int i = 0; i < SEVERITIES.length; i++) {
            if (SEVERITIES[i].equals(s)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
