package io.recon.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API keys Recon accepts, each with the role it grants. Keys are compared by their SHA-256
 * digests with {@link MessageDigest#isEqual}, in time that does not depend on where a guess first
 * differs. No keys configured means no one is admitted: admin actions are denied by default.
 */
public final class ApiKeys {

    /** Role of admin keys: model reloads and any other state change. */
    public static final String ADMIN = "admin";
    /** Role of read keys: scoring and read endpoints, when they are configured to need a key. */
    public static final String READER = "reader";
    /** Shortest key accepted in configuration: a guessable key is worse than none. */
    public static final int MIN_KEY_LENGTH = 16;

    private record Key(byte[] digest, String role, String name) {
    }

    private final List<Key> keys = new ArrayList<>();

    /**
     * @param adminKeys  keys that grant {@link #ADMIN} (and reading)
     * @param readerKeys keys that grant {@link #READER}
     * @throws IllegalArgumentException if a key is shorter than {@link #MIN_KEY_LENGTH}
     */
    public ApiKeys(List<String> adminKeys, List<String> readerKeys) {
        add(adminKeys, ADMIN);
        add(readerKeys, READER);
    }

    private void add(List<String> configured, String role) {
        for (int i = 0; i < configured.size(); i++) {
            String key = configured.get(i).trim();
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("a " + role + " API key (number " + (i + 1) + ") is "
                        + key.length() + " characters long; use at least " + MIN_KEY_LENGTH
                        + " random characters, e.g. openssl rand -hex 32");
            }
            keys.add(new Key(digest(key), role, role + "-key-" + (i + 1)));
        }
    }

    /** The matching key's name and role, or empty. Every configured key is compared, match or not. */
    public Optional<Grant> grantFor(String presented) {
        byte[] digest = digest(presented);
        Grant found = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.digest(), digest) && found == null) {
                found = new Grant(key.name(), key.role());
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether any key is configured at all. */
    public boolean any() {
        return !keys.isEmpty();
    }

    /** Who a key identifies ({@code admin-key-1}) and what it may do. */
    public record Grant(String principal, String role) {
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
