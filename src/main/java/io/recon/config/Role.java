package io.recon.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The services one Recon process can run ({@code recon.roles}, or {@code RECON_ROLES}). Every
 * process runs the same image; the roles decide what it does. A name that is not a role stops
 * start-up with a message that lists the valid ones, rather than starting a process that does
 * nothing.
 */
public enum Role {
    /** Consumes telemetry and image events, scores them, publishes verdicts, alerts and dead letters. */
    SCORER,
    /** Streams recorded real flows into the telemetry topic (demo and soak traffic). */
    REPLAY,
    /** Prints each alert from the alerts topic as one readable log line. */
    ALERT_LOG,
    /** Publishes synthetic flow records from the bundled tabular GAN, on request (admin REST). */
    GAN,
    /** Publishes synthetic flow records from the bundled tabular diffusion model, on request. */
    DIFFUSION,
    /** Explains each alert from the alerts topic (which features, what normal would be) to the explanations topic. */
    EXPLAINER,
    /** Serves the web console: live alerts, their details, models, dead letters and stream rates, read from Kafka. */
    CONSOLE;

    /** The name as written in configuration: {@code scorer}, {@code replay}, {@code alert-log}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Reads one role name as written in configuration (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the valid roles, for anything else
     */
    public static Role parse(String text) {
        String name = text.trim().toLowerCase(Locale.ROOT);
        for (Role role : values()) {
            if (role.configName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text.trim() + "' in recon.roles (RECON_ROLES); "
                + "valid roles: " + validNames());
    }

    /** "scorer, replay, alert-log, gan, diffusion, explainer, console". */
    public static String validNames() {
        return Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", "));
    }
}
