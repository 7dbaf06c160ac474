package io.recon.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void noKeysConfiguredAdmitsNoOne() {
        ApiKeys none = new ApiKeys(List.of(), List.of());
        assertFalse(none.any());
        assertTrue(none.grantFor("").isEmpty());
        assertTrue(none.grantFor("anything-at-all-1234").isEmpty());
    }

    @Test
    void eachKeyGrantsItsRoleUnderItsOwnName() {
        ApiKeys keys = new ApiKeys(List.of("admin-secret-0000001", " admin-secret-0000002 "),
                List.of("reader-secret-000001"));
        assertEquals(new ApiKeys.Grant("admin-key-2", ApiKeys.ADMIN), keys.grantFor("admin-secret-0000002").get());
        assertEquals(new ApiKeys.Grant("reader-key-1", ApiKeys.READER), keys.grantFor("reader-secret-000001").get());
        assertTrue(keys.grantFor("admin-secret-000000").isEmpty(), "a prefix is not the key");
        assertTrue(keys.grantFor("ADMIN-SECRET-0000001").isEmpty(), "keys are case-sensitive");
    }

    @Test
    void aShortKeyIsRefusedAtStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ApiKeys(List.of("password"), List.of()));
        assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    }
}
