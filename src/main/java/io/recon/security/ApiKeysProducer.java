package io.recon.security;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import io.recon.config.ReconConfig;

/** The configured API keys, checked once at start-up: a key too short to be safe stops the start. */
@ApplicationScoped
public class ApiKeysProducer {

    private static final Logger LOG = Logger.getLogger(ApiKeysProducer.class);

    @Produces
    @ApplicationScoped
    ApiKeys apiKeys(ReconConfig config) {
        ApiKeys keys = new ApiKeys(config.security().adminApiKeys().orElse(List.of()),
                config.security().readApiKeys().orElse(List.of()));
        if (!keys.any()) {
            LOG.info("No API keys configured (recon.security.admin-api-keys): admin endpoints answer 401 to "
                    + "everyone");
        }
        return keys;
    }
}
