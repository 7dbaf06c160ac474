package io.recon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@code recon.roles} as the service reads it: the names of the configuration, and a typo that
 * stops start-up with the valid roles named (mapped here exactly as Quarkus maps it at start).
 */
class RoleTest {

    @Test
    void rolesAreReadByTheirConfigurationNames() {
        assertEquals(Role.ALERT_LOG, Role.parse(" Alert-Log "));
        assertEquals("alert-log", Role.ALERT_LOG.configName());
        assertEquals(Set.of(Role.SCORER, Role.REPLAY, Role.ALERT_LOG), config("scorer,replay,alert-log").roles());
        assertEquals(Set.of(Role.REPLAY), config("replay").roles());
    }

    @Test
    void aTypoStopsStartUpNamingTheValidRoles() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> config("scorer,replya").roles());
        String message = messages(e);
        assertTrue(message.contains("unknown role 'replya'"), message);
        assertTrue(message.contains("valid roles: scorer, replay, alert-log, gan, diffusion, explainer, console"), message);
    }

    @Test
    void onlyTheScorerRoleJoinsTheScorersConsumerGroups() {
        RoleChannelsConfigSourceFactory factory = new RoleChannelsConfigSourceFactory();
        SmallRyeConfig replayOnly = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("recon.roles", "replay,alert-log"), "test", 300))
                .withSources(factory).build();
        assertEquals("false", replayOnly.getRawValue(RoleChannelsConfigSourceFactory.SCORER_CHANNEL_ENABLED));
        SmallRyeConfig scorer = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("recon.roles", "replay, Scorer"), "test", 300))
                .withSources(factory).build();
        assertEquals("true", scorer.getRawValue(RoleChannelsConfigSourceFactory.SCORER_CHANNEL_ENABLED));
    }

    private static ReconConfig config(String roles) {
        try {
            URL defaults = RoleTest.class.getClassLoader().getResource("application.properties");
            return new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(defaults, 100))
                    .withSources(new PropertiesConfigSource(Map.of("recon.roles", roles), "test", 300))
                    .withMapping(ReconConfig.class)
                    .build()
                    .getConfigMapping(ReconConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
