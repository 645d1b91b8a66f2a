package dev.jtorr.domain.wire;

import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;

/**
 * The BEP 3 handshake: protocol string, eight reserved bytes (feature bits), the 20-byte info-hash (a v2 hash is
 * truncated) and the sender's peer id.
 */
public record Handshake(byte[] reserved, Digest infoHash, PeerId peerId) {
    public static final String PROTOCOL = "BitTorrent protocol";
    /** Bytes on the wire: 1 + 19 + 8 + 20 + 20. */
    public static final int LENGTH = 68;

    public Handshake {
        if (reserved.length != 8) {
            throw new IllegalArgumentException("reserved bytes must be 8");
        }
        if (infoHash.length() != 20) {
            throw new IllegalArgumentException("handshake info-hash must be 20 bytes");
        }
        reserved = reserved.clone();
    }

    /**
     * Our handshake, with no feature bits: the extension protocol (BEP 10), the Fast extension (BEP 6) and the DHT
     * (BEP 5) only through {@link #withExtensions()}, {@link #withFast()} and {@link #withDht()}, so that peers send
     * us only what we speak.
     */
    public static Handshake ours(Digest infoHash, PeerId peerId) {
        return new Handshake(new byte[8], infoHash, peerId);
    }

    /** This handshake, saying that the extension protocol (BEP 10: bit 20, 0x10 in the sixth reserved byte) is spoken. */
    public Handshake withExtensions() {
        byte[] bits = reserved.clone();
        bits[5] |= 0x10;
        return new Handshake(bits, infoHash, peerId);
    }

    /** This handshake, saying that the Fast extension (BEP 6: 0x04 in the last reserved byte) is spoken. */
    public Handshake withFast() {
        byte[] bits = reserved.clone();
        bits[7] |= 0x04;
        return new Handshake(bits, infoHash, peerId);
    }

    /** Whether the sender speaks the Fast extension (BEP 6); it is used only when both handshakes say so. */
    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    /** Whether the sender speaks the extension protocol (BEP 10). */
    public boolean supportsExtensions() {
        return (reserved[5] & 0x10) != 0;
    }

    /** This handshake, saying that we run a DHT node (BEP 5: bit 0x01 in the last reserved byte). */
    public Handshake withDht() {
        byte[] bits = reserved.clone();
        bits[7] |= 0x01;
        return new Handshake(bits, infoHash, peerId);
    }

    /** Whether the sender runs a DHT node (BEP 5), so may send, and be sent, a {@code port} message. */
    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }
}
