package dev.jtorr.application.port.out;

import dev.jtorr.domain.dht.DhtSettings;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The Mainline DHT (BEP 5) as a peer source shared by an engine's torrents. An engine starts one node on the UDP
 * port of the same number as its peer listener; whether there is a DHT at all, and which bootstrap nodes it uses,
 * comes with each engine's options; {@link #OFF} is a network without one.
 */
public interface DhtNetwork {
    /** No DHT: nothing is started and nothing is sent. */
    DhtNetwork OFF = (bindAddress, port, bootstrap) -> Optional.empty();

    /**
     * Starts a node on UDP {@code bindAddress:port} (empty address: every interface) that bootstraps from
     * {@code bootstrap} (host names allowed), or returns empty when this network has no DHT.
     *
     * @throws NetworkException when the port cannot be bound
     */
    Optional<Node> start(String bindAddress, int port, List<PeerAddress> bootstrap);

    /**
     * Starts a node as {@code settings} ask: through their bootstrap nodes and, when they say so, read-only
     * (BEP 43). Stand-ins without a routing table may keep this default, which ignores read-only; a network whose
     * nodes answer queries overrides it.
     *
     * @throws NetworkException when the port cannot be bound
     */
    default Optional<Node> start(String bindAddress, int port, DhtSettings settings) {
        return start(bindAddress, port, settings.bootstrap());
    }

    /** A running node. Thread-safe; callbacks come on the node's own thread and must return quickly. */
    interface Node extends AutoCloseable {
        /**
         * Looks up the peers of {@code infoHash} (20 bytes: a v1 hash or a v2 hash truncated), then announces
         * {@code announcePort} to the closest nodes when it is above 0. {@code peers} hears each batch found;
         * {@code done} hears how many peers the lookup found in all. A magnet link's metadata fetch can use this
         * alone.
         */
        void getPeers(Digest infoHash, int announcePort, Consumer<List<PeerAddress>> peers, IntConsumer done);

        /**
         * Pings {@code node}, a DHT node a peer told us of (its BEP 5 {@code port} message); it enters the routing
         * table if it answers. Does nothing by default (a stand-in node without a table).
         */
        default void ping(PeerAddress node) {
        }

        /** Nodes in the routing table now. */
        int nodes();

        /** Stops the node, saving its routing table where the adapter keeps it. */
        @Override
        void close();
    }
}
