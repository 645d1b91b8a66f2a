package dev.jtorr.domain.wire;

/**
 * How an established peer connection is protected, as Message Stream Encryption (MSE/PE, the "encryption" of
 * libtorrent, qBittorrent and Transmission) left it.
 */
public enum Encryption {
    /** A plain-text BEP 3 handshake, and plain text after it. */
    NONE,
    /** An MSE handshake (Diffie-Hellman, the info-hash hidden), then plain text: obfuscated, no cost per byte. */
    HANDSHAKE,
    /** An MSE handshake, then RC4 on every byte both ways. */
    RC4;

    /** The name used in JSON and logs: {@code none}, {@code handshake}, {@code rc4}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
