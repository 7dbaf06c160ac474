package io.recon.security;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * An API key presented as a bearer credential. A type of its own, so that only
 * {@link ApiKeyIdentityProvider} sees keys, and OIDC (when on) sees only tokens.
 */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final TokenCredential key;

    public ApiKeyAuthenticationRequest(TokenCredential key) {
        this.key = key;
    }

    public TokenCredential key() {
        return key;
    }
}
