package io.recon.console;

import java.util.Locale;

import io.recon.calibration.Severity;

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

    /** low 0, medium 1, high 2, critical 3 (an alert is never "none"); -1 for anything else. */
    private static int rank(String severity) {
        try {
            return Severity.valueOf(severity.toUpperCase(Locale.ROOT)).ordinal() - Severity.LOW.ordinal();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
