package dev.jtorr.domain.tracker;

import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.piece.Digest;
import java.util.Optional;

/**
 * What a client tells a tracker in an announce (BEP 3, BEP 15): the same fields over HTTP and UDP.
 *
 * @param infoHash   the 20-byte info-hash (a v2 one truncated, BEP 52)
 * @param peerId     the announcing client's id
 * @param port       the TCP port it accepts peers on
 * @param uploaded   payload bytes sent since the {@link AnnounceEvent#STARTED} announce
 * @param downloaded payload bytes received since then
 * @param left       bytes still missing; 0 for a seed
 * @param event      why this announce is sent
 * @param numWant    peers wanted (0 for none, as with {@code stopped}; -1 for the tracker's default)
 * @param key        a number that stays the same for the session, so a tracker can recognise a client whose
 *                   address changed
 * @param trackerId  the {@code tracker id} the tracker handed out, echoed back
 */
public record AnnounceRequest(Digest infoHash, PeerId peerId, int port, long uploaded, long downloaded, long left,
                              AnnounceEvent event, int numWant, int key, Optional<String> trackerId) {
    public AnnounceRequest {
        if (infoHash.length() != 20) {
            throw new InvalidDataException("an announced info-hash has 20 bytes, not " + infoHash.length());
        }
        if (port < 0 || port > 65535) {
            throw new InvalidDataException("port " + port + " is outside 0-65535");
        }
        if (uploaded < 0 || downloaded < 0 || left < 0) {
            throw new InvalidDataException("uploaded, downloaded and left cannot be negative");
        }
        if (numWant < -1) {
            throw new InvalidDataException("numwant below -1");
        }
    }
}
