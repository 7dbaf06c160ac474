package io.recon.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an API key from {@code Authorization: Bearer <key>} and hands it to
 * {@link ApiKeyIdentityProvider}. A request without one is anonymous; an endpoint that needs a
 * role then answers 401 with a {@code WWW-Authenticate: Bearer} challenge. A browser cannot add
 * this header to a cross-origin request without a CORS preflight, which Recon does not grant, so a
 * web page cannot act with a user's key either.
 *
 * <p>With OIDC on ({@code quarkus.oidc.tenant-enabled=true}), a bearer value that is not one of the
 * configured keys is left to the OIDC mechanism, which runs after this one and verifies it as the
 * identity provider's token; with OIDC off it is refused here as an unknown key.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";

    private final ApiKeys keys;
    private final boolean oidcEnabled;

    @Inject
    ApiKeyAuthenticationMechanism(ApiKeys keys,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidcEnabled) {
        this.keys = keys;
        this.oidcEnabled = oidcEnabled;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Uni.createFrom().nullItem();
        }
        String presented = header.substring(SCHEME.length()).trim();
        if (oidcEnabled && keys.grantFor(presented).isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        ApiKeyAuthenticationRequest request = new ApiKeyAuthenticationRequest(new TokenCredential(presented, "bearer"));
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identities.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"recon\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    /** Before the OIDC mechanism ({@code quarkus.oidc.priority}, 1001 by default): keys are checked first. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 2;
    }
}
