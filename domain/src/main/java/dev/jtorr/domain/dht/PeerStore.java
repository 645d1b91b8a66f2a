package dev.jtorr.domain.dht;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers other nodes announced to us (announce_peer), by info-hash: bounded to {@link #MAX_TORRENTS} info-hashes
 * of {@link #MAX_PEERS} peers each (the oldest make room), each forgotten {@link #LIFETIME} after its last announce.
 * Not thread-safe.
 */
public final class PeerStore {
    static final int MAX_TORRENTS = 2_000;
    static final int MAX_PEERS = 100;
    static final int MAX_RETURNED = 50;
    static final Duration LIFETIME = Duration.ofMinutes(30);

    private final Map<NodeId, LinkedHashMap<PeerAddress, Instant>> torrents = new LinkedHashMap<>(16, 0.75f, true);

    public void announce(NodeId infoHash, PeerAddress peer, Instant now) {
        var peers = torrents.computeIfAbsent(infoHash, h -> new LinkedHashMap<>());
        peers.remove(peer);
        peers.put(peer, now);
        if (peers.size() > MAX_PEERS) {
            peers.remove(peers.keySet().iterator().next());
        }
        if (torrents.size() > MAX_TORRENTS) {
            torrents.remove(torrents.keySet().iterator().next());
        }
    }

    /** Up to 50 peers announced within the lifetime, most recent first. */
    public List<PeerAddress> peers(NodeId infoHash, Instant now) {
        var peers = torrents.get(infoHash);
        if (peers == null) {
            return List.of();
        }
        peers.values().removeIf(t -> !now.isBefore(t.plus(LIFETIME)));
        if (peers.isEmpty()) {
            torrents.remove(infoHash);
            return List.of();
        }
        List<PeerAddress> out = new ArrayList<>(peers.keySet());
        java.util.Collections.reverse(out);
        return out.size() > MAX_RETURNED ? List.copyOf(out.subList(0, MAX_RETURNED)) : out;
    }

    /** Drops what has expired. */
    public void expire(Instant now) {
        for (Iterator<LinkedHashMap<PeerAddress, Instant>> it = torrents.values().iterator(); it.hasNext(); ) {
            var peers = it.next();
            peers.values().removeIf(t -> !now.isBefore(t.plus(LIFETIME)));
            if (peers.isEmpty()) {
                it.remove();
            }
        }
    }

    public int torrentCount() {
        return torrents.size();
    }
}
