package io.recon.config;

import org.eclipse.microprofile.config.spi.Converter;

/** Converts {@code recon.roles} entries with {@link Role#parse}, so a typo names the valid roles. */
public class RoleConverter implements Converter<Role> {

    private static final long serialVersionUID = 1L;

    @Override
    public Role convert(String value) {
        return Role.parse(value);
    }
}
