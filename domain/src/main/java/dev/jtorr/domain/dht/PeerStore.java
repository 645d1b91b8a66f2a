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
 * of {@link #MAX_PEERS} peers each, each forgotten {@link #LIFETIME} after its last announce. When an info-hash has
 * all the peers it may keep, the oldest announced by a node with an insecure id (BEP 42) makes room, else the
 * oldest: so an insecure announce never displaces a secure one. Not thread-safe.
 */
public final class PeerStore {
    static final int MAX_TORRENTS = 2_000;
    static final int MAX_PEERS = 100;
    static final int MAX_RETURNED = 50;
    static final Duration LIFETIME = Duration.ofMinutes(30);

    /** When a peer was announced, and whether by a node whose id is secure for its address. */
    private record Announced(Instant at, boolean secure) {
    }

    private final Map<NodeId, LinkedHashMap<PeerAddress, Announced>> torrents = new LinkedHashMap<>(16, 0.75f,
            true);

    /** A peer announced by a node (on a local network, or with an id secure for its address, or neither). */
    public void announce(NodeId infoHash, PeerAddress peer, boolean announcerSecure, Instant now) {
        var peers = torrents.computeIfAbsent(infoHash, h -> new LinkedHashMap<>());
        peers.remove(peer);
        peers.put(peer, new Announced(now, announcerSecure));
        if (peers.size() > MAX_PEERS) {
            PeerAddress drop = peers.entrySet().stream().filter(e -> !e.getValue().secure()).map(Map.Entry::getKey)
                    .findFirst().orElse(peers.keySet().iterator().next());
            peers.remove(drop);
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
        peers.values().removeIf(a -> !now.isBefore(a.at().plus(LIFETIME)));
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
        for (Iterator<LinkedHashMap<PeerAddress, Announced>> it = torrents.values().iterator(); it.hasNext(); ) {
            var peers = it.next();
            peers.values().removeIf(a -> !now.isBefore(a.at().plus(LIFETIME)));
            if (peers.isEmpty()) {
                it.remove();
            }
        }
    }

    /** Whether this peer is stored for this info-hash (expired or not). */
    boolean holds(NodeId infoHash, PeerAddress peer) {
        var peers = torrents.get(infoHash);
        return peers != null && peers.containsKey(peer);
    }

    public int torrentCount() {
        return torrents.size();
    }
}
