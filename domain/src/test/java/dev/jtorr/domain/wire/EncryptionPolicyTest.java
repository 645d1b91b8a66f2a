package dev.jtorr.domain.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EncryptionPolicyTest {
    private static final Optional<Boolean> UNKNOWN = Optional.empty();

    @Test
    void preferDialsEncryptedFirstAndFallsBackToPlainText() {
        assertEquals(List.of(true, false), EncryptionPolicy.PREFER.dialOrder(UNKNOWN));
    }

    @Test
    void allowDialsPlainTextFirstAndFallsBackToEncrypted() {
        assertEquals(List.of(false, true), EncryptionPolicy.ALLOW.dialOrder(UNKNOWN));
    }

    @Test
    void whatWorkedWithAPeerLastGoesFirst() {
        assertEquals(List.of(false, true), EncryptionPolicy.PREFER.dialOrder(Optional.of(false)));
        assertEquals(List.of(true, false), EncryptionPolicy.ALLOW.dialOrder(Optional.of(true)));
    }

    @Test
    void requireAndDisableNeverFallBack() {
        assertEquals(List.of(true), EncryptionPolicy.REQUIRE.dialOrder(Optional.of(false)));
        assertEquals(List.of(false), EncryptionPolicy.DISABLE.dialOrder(Optional.of(true)));
    }

    @Test
    void answeringAnEncryptedHandshakeTakesPlainTextWhenOfferedUnlessEncryptionIsRequired() {
        assertEquals(Optional.of(Encryption.HANDSHAKE), EncryptionPolicy.PREFER.choose(true, true));
        assertEquals(Optional.of(Encryption.HANDSHAKE), EncryptionPolicy.ALLOW.choose(true, false));
        assertEquals(Optional.of(Encryption.RC4), EncryptionPolicy.PREFER.choose(false, true));
        assertEquals(Optional.of(Encryption.RC4), EncryptionPolicy.REQUIRE.choose(true, true));
        assertEquals(Optional.empty(), EncryptionPolicy.REQUIRE.choose(true, false), "plain text only: refused");
        assertEquals(Optional.empty(), EncryptionPolicy.DISABLE.choose(true, true));
        assertEquals(Optional.empty(), EncryptionPolicy.PREFER.choose(false, false));
    }

    @Test
    void whatEachPolicyAccepts() {
        assertTrue(EncryptionPolicy.PREFER.acceptsPlainText());
        assertTrue(EncryptionPolicy.PREFER.acceptsEncrypted());
        assertFalse(EncryptionPolicy.REQUIRE.acceptsPlainText());
        assertFalse(EncryptionPolicy.DISABLE.acceptsEncrypted());
        assertFalse(EncryptionPolicy.REQUIRE.accepts(Encryption.HANDSHAKE), "a peer choosing plain text after MSE");
        assertTrue(EncryptionPolicy.REQUIRE.accepts(Encryption.RC4));
        assertTrue(EncryptionPolicy.ALLOW.accepts(Encryption.HANDSHAKE));
    }
}
