package dev.jtorr.domain.wire;

import java.util.List;
import java.util.Optional;

/**
 * Which connections to make and accept with respect to Message Stream Encryption, the choice Transmission offers as
 * required / preferred / tolerated and libtorrent as its {@code enc_policy} settings.
 *
 * <ul>
 *   <li>{@link #PREFER} (the default): dial with an encrypted handshake offering plain text and RC4 after it (the
 *       peer chooses; libtorrent picks plain text), and at once in plain text when the peer hangs up on it; accept
 *       both; answering an encrypted handshake, take plain text when offered.</li>
 *   <li>{@link #REQUIRE}: an encrypted handshake and RC4 after it, both ways; plain-text handshakes and peers that
 *       offer no RC4 are refused.</li>
 *   <li>{@link #ALLOW}: dial in plain text, and with an encrypted handshake when the peer hangs up on it; accept
 *       both.</li>
 *   <li>{@link #DISABLE}: plain text only, both ways; encrypted handshakes are refused.</li>
 * </ul>
 */
public enum EncryptionPolicy {
    PREFER, REQUIRE, ALLOW, DISABLE;

    /**
     * The handshakes to try when dialling a peer, in order ({@code true}: encrypted), the next one only when the peer
     * hangs up on the one before.
     *
     * @param worked whether the last connection to this peer that got through was encrypted, if one did: that kind
     *               goes first
     */
    public List<Boolean> dialOrder(Optional<Boolean> worked) {
        return switch (this) {
            case REQUIRE -> List.of(true);
            case DISABLE -> List.of(false);
            case PREFER, ALLOW -> {
                boolean first = worked.orElse(this == PREFER);
                yield List.of(first, !first);
            }
        };
    }

    /** Whether a peer may open with a plain-text handshake. */
    public boolean acceptsPlainText() {
        return this != REQUIRE;
    }

    /** Whether a peer may open with an encrypted handshake. */
    public boolean acceptsEncrypted() {
        return this != DISABLE;
    }

    /** Whether we offer plain text after an encrypted handshake that we open (RC4 is always offered). */
    public boolean offersPlainText() {
        return this != REQUIRE;
    }

    /**
     * What to choose after an encrypted handshake that a peer opened, offering plain text and/or RC4 after it; empty
     * when nothing it offers is acceptable.
     */
    public Optional<Encryption> choose(boolean plainOffered, boolean rc4Offered) {
        if (this == DISABLE) {
            return Optional.empty();
        }
        if (plainOffered && offersPlainText()) {
            return Optional.of(Encryption.HANDSHAKE);
        }
        return rc4Offered ? Optional.of(Encryption.RC4) : Optional.empty();
    }

    /** Whether the peer's choice, after an encrypted handshake we opened, is acceptable. */
    public boolean accepts(Encryption chosen) {
        return switch (chosen) {
            case NONE -> acceptsPlainText();
            case HANDSHAKE -> offersPlainText();
            case RC4 -> acceptsEncrypted();
        };
    }

    /** The name used on the command line and in config files: {@code prefer}, {@code require}, ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
