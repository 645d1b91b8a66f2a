package dev.jtorr.application.discovery;

import dev.jtorr.application.port.out.LocalDiscovery;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An engine's local service discovery (BEP 14), shared by its torrents: each torrent's {@link LocalPeers} subscribes
 * under its info-hashes and announces through it; a peer heard of goes to the torrent that has its info-hash, and
 * nowhere when none has. Thread-safe: peers are heard on the adapter's thread, torrents subscribe on the engine's.
 */
public final class LocalSwarm implements AutoCloseable {
    private final Map<Digest, Consumer<PeerAddress>> torrents = new ConcurrentHashMap<>();
    private volatile LocalDiscovery.Service service;

    private LocalSwarm() {
    }

    /**
     * Starts the service on {@code peerPort}'s behalf, or returns empty when {@code discovery} has none to give.
     *
     * @throws dev.jtorr.application.port.out.NetworkException when it cannot start
     */
    public static Optional<LocalSwarm> start(LocalDiscovery discovery, String bindAddress, int peerPort) {
        var swarm = new LocalSwarm();
        Optional<LocalDiscovery.Service> service = discovery.start(bindAddress, peerPort, swarm::heard);
        service.ifPresent(s -> swarm.service = s);
        return service.map(s -> swarm);
    }

    private void heard(Digest infoHash, PeerAddress peer) {
        Consumer<PeerAddress> torrent = torrents.get(infoHash);
        if (torrent != null) {
            torrent.accept(peer);
        }
    }

    /** Peers heard of under {@code infoHashes} go to {@code to} (on the adapter's thread) from now on. */
    void subscribe(List<Digest> infoHashes, Consumer<PeerAddress> to) {
        infoHashes.forEach(h -> torrents.put(h, to));
    }

    /** Undoes {@link #subscribe}; another subscriber of the same hashes keeps them. */
    void unsubscribe(List<Digest> infoHashes, Consumer<PeerAddress> to) {
        infoHashes.forEach(h -> torrents.remove(h, to));
    }

    void announce(List<Digest> infoHashes) {
        service.announce(infoHashes);
    }

    @Override
    public void close() {
        torrents.clear();
        service.close();
    }
}
