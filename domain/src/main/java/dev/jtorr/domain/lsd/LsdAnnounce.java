package dev.jtorr.domain.lsd;

import dev.jtorr.domain.piece.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One local service discovery announce (BEP 14): the sender takes part in the swarms of {@code infoHashes} (20 bytes
 * each: v1 hashes, or v2 hashes truncated) and listens for peers on TCP {@code port} at the address it sent from.
 *
 * @param cookie opaque text by which a client recognises its own announces coming back over multicast loopback
 */
public record LsdAnnounce(int port, List<Digest> infoHashes, Optional<String> cookie) {
    /** Info-hashes in one announce at most: enough for one torrent (a hybrid has two) and room to spare. */
    public static final int MAX_INFO_HASHES = 16;

    public LsdAnnounce {
        infoHashes = List.copyOf(infoHashes);
        Objects.requireNonNull(cookie, "cookie");
        if (port < 1 || port > 65535) {
            throw new LsdException("announced port " + port + " is outside 1-65535");
        }
        if (infoHashes.isEmpty() || infoHashes.size() > MAX_INFO_HASHES) {
            throw new LsdException("an announce names 1 to " + MAX_INFO_HASHES + " info-hashes, not "
                    + infoHashes.size());
        }
        for (Digest h : infoHashes) {
            if (h.length() != 20) {
                throw new LsdException("an announced info-hash is 20 bytes, not " + h.length());
            }
        }
        cookie.ifPresent(c -> {
            if (c.isEmpty() || c.length() > LsdCodec.MAX_COOKIE || !c.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                throw new LsdException("a cookie is 1 to " + LsdCodec.MAX_COOKIE + " visible ASCII characters");
            }
        });
    }
}
