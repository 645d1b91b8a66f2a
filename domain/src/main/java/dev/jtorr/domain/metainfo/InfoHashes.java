package dev.jtorr.domain.metainfo;

import dev.jtorr.domain.piece.Digest;
import java.util.Optional;

/**
 * The identities of a torrent: v1 is the SHA-1 of the exact bencoded info dictionary, v2 its SHA-256 (BEP 52).
 * A hybrid torrent has both. On the v1 wire and at trackers a v2 hash is used truncated to 20 bytes.
 */
public record InfoHashes(Optional<Digest> v1, Optional<Digest> v2) {
    public InfoHashes {
        if (v1.isEmpty() && v2.isEmpty()) {
            throw new IllegalArgumentException("a torrent needs at least one info-hash");
        }
        v1.ifPresent(d -> requireLength(d, 20));
        v2.ifPresent(d -> requireLength(d, 32));
    }

    private static void requireLength(Digest d, int n) {
        if (d.length() != n) {
            throw new IllegalArgumentException("info-hash of " + d.length() + " bytes, expected " + n);
        }
    }

    /** The v2 hash cut to 20 bytes, as sent in handshakes and announces. */
    public Optional<Digest> v2Truncated() {
        return v2.map(d -> d.truncated(20));
    }
}
