package io.recon.security;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.recon.testing.KafkaBrokerResource;

/**
 * With OIDC switched on, admin calls take a bearer token from the identity provider (its role in
 * a claim), and API keys keep working beside it. The provider is stood in for by its signing key
 * ({@code quarkus.oidc.public-key}): the same verification of signature, issuer, expiry and roles
 * as with a provider's JWKS, without a provider to run. Own profile: see {@code ReadPolicyTest}.
 */
@Tag("own-profile")
@QuarkusTest
@TestProfile(OidcBearerTokenTest.WithOidc.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class OidcBearerTokenTest {

    private static final String ISSUER = "https://idp.recon.test/realms/recon";
    private static final String ADMIN_KEY = "test-admin-key-0123456789";
    /** Made once per build: the profile hands its public half to Quarkus, the test signs with it. */
    private static final Path SIGNING_KEY = Path.of("target", "oidc-test", "signing-key.der");
    private static final Path VERIFYING_KEY = Path.of("target", "oidc-test", "verifying-key.der");

    /** OIDC on, verifying tokens with a local key, roles read from {@code recon_roles}. */
    public static class WithOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.public-key", Base64.getEncoder().encodeToString(read(verifyingKey())),
                    "quarkus.oidc.token.issuer", ISSUER,
                    "quarkus.oidc.roles.role-claim-path", "recon_roles");
        }
    }

    @Test
    void anAdminTokenReloadsAReaderTokenCannotAndForgedOrExpiredTokensAreRefused() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        PrivateKey key = signingKey();
        String reload = "/models/telemetry-vae/reload";

        given().when().post(reload).then().statusCode(401);
        given().header("Authorization", "Bearer " + token(key, ISSUER, List.of("admin"), now + 300)).when()
                .post(reload).then().statusCode(200);
        given().header("Authorization", "Bearer " + token(key, ISSUER, List.of("reader"), now + 300)).when()
                .post(reload).then().statusCode(403);
        given().header("Authorization", "Bearer " + token(key, ISSUER, List.of("admin"), now - 600)).when()
                .post(reload).then().statusCode(401);
        given().header("Authorization", "Bearer " + token(key, "https://elsewhere.test", List.of("admin"), now + 300))
                .when().post(reload).then().statusCode(401);
        PrivateKey stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        given().header("Authorization", "Bearer " + token(stranger, ISSUER, List.of("admin"), now + 300)).when()
                .post(reload).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-key-and-not-a-token").when().post(reload).then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN_KEY).when().post(reload).then().statusCode(200);
    }

    /** A JWT signed with RS256, as an identity provider issues it. */
    private static String token(PrivateKey key, String issuer, List<String> roles, long expires)
            throws GeneralSecurityException, IOException {
        ObjectMapper json = new ObjectMapper();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(json.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
        String claims = b64.encodeToString(json.writeValueAsBytes(Map.of("iss", issuer, "sub", "analyst-1",
                "iat", expires - 900, "exp", expires, "recon_roles", roles)));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64.encodeToString(rs256.sign());
    }

    private static PrivateKey signingKey() throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(read(SIGNING_KEY)));
    }

    /** The verifying key's path, making the pair first if this build has none. */
    private static synchronized Path verifyingKey() {
        if (!Files.exists(VERIFYING_KEY)) {
            try {
                KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
                Files.createDirectories(SIGNING_KEY.getParent());
                Files.write(SIGNING_KEY, pair.getPrivate().getEncoded());
                Files.write(VERIFYING_KEY, pair.getPublic().getEncoded());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return VERIFYING_KEY;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
