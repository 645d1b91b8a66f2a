package dev.jtorr.application.torrent;

import dev.jtorr.application.discovery.LocalSwarm;
import dev.jtorr.application.port.out.DhtNetwork;
import java.util.Optional;
import dev.jtorr.application.port.out.EngineEvent;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.peer.TokenBucket;

/** The engine, as each of its torrents sees it: what they share. Called on the engine's thread. */
public interface TorrentHost {
    PeerId ourId();

    /** The engine's listening port. */
    int port();

    /** The engine's DHT node, when it has one. */
    default Optional<DhtNetwork.Node> dht() {
        return Optional.empty();
    }

    /** The engine's local service discovery (BEP 14), when it has it. */
    default Optional<LocalSwarm> localSwarm() {
        return Optional.empty();
    }

    /** More peers the engine may take now, over all torrents. */
    int room();

    /** Peers joined (positive) or left (negative) one of the engine's torrents. */
    void peersChanged(int delta);

    /** The engine's total upload limit, shared by its torrents. */
    TokenBucket uploadLimit();

    /** The engine's total download limit, shared by its torrents. */
    TokenBucket downloadLimit();

    /** The engine's upload slots, shared by its torrents. */
    SlotPool uploadSlots();

    void publish(EngineEvent event);

    /** The torrent has stopped: its data is saved and it takes no more peers. */
    void stopped(TorrentSession torrent);
}
