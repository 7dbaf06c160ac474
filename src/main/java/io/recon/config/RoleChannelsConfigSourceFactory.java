package io.recon.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Turns {@code recon.roles} into channel switches, so a process without the {@code scorer} role
 * (a replay-only Deployment, say) does not join the scorer's consumer groups (telemetry and
 * imaging) or load a model.
 * Its ordinal sits above application.properties and below environment variables and system
 * properties, so an explicit {@code mp.messaging.incoming.telemetry-events.enabled} (or
 * {@code imaging-events}) still wins.
 */
public class RoleChannelsConfigSourceFactory implements ConfigSourceFactory {

    static final String SCORER_CHANNEL_ENABLED = "mp.messaging.incoming.telemetry-events.enabled";
    static final String IMAGING_CHANNEL_ENABLED = "mp.messaging.incoming.imaging-events.enabled";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue roles = context.getValue("recon.roles");
        if (roles == null || roles.getValue() == null) {
            return List.of();
        }
        // Names are checked when the configuration is mapped (Role.parse); here an unknown one
        // simply does not count, so that check can say what went wrong.
        boolean scorer = Arrays.stream(roles.getValue().split(",")).map(String::trim)
                .anyMatch(Role.SCORER.configName()::equalsIgnoreCase);
        String enabled = Boolean.toString(scorer);
        return List.of(new PropertiesConfigSource(Map.of(SCORER_CHANNEL_ENABLED, enabled,
                IMAGING_CHANNEL_ENABLED, enabled), "recon-roles", 275));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(275);
    }
}
