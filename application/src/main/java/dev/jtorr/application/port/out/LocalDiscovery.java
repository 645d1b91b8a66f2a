package dev.jtorr.application.port.out;

import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.util.List;
import java.util.Optional;

/**
 * Local service discovery (BEP 14): announces of the torrents we take part in, multicast to the local network
 * (239.192.152.143:6771 and [ff15::efc0:988f]:6771), and the peers that others there announce. An engine starts one
 * service, when its options ask for it; {@link #OFF} is a network without one. Private torrents (BEP 27) never use
 * it: that is the caller's rule.
 */
public interface LocalDiscovery {
    /** No local discovery: nothing is joined and nothing is sent. */
    LocalDiscovery OFF = (bindAddress, peerPort, listener) -> Optional.empty();

    /**
     * Joins the multicast groups and starts hearing announces: on every local interface that can multicast, or only
     * the one holding {@code bindAddress} when that is not empty. Returns empty when this network has no local
     * discovery, or no interface to do it on.
     *
     * @param peerPort the TCP port our announces give (the engine's listener)
     * @param listener hears each peer announced by another client, our own announces left out
     * @throws NetworkException when the groups' port cannot be used at all
     */
    Optional<Service> start(String bindAddress, int peerPort, Listener listener);

    /** Hears the peers announced; called on the adapter's thread, and must return quickly. */
    interface Listener {
        /** A peer at {@code peer} takes part in the swarm of {@code infoHash} (20 bytes). */
        void heard(Digest infoHash, PeerAddress peer);
    }

    /** A running service. Thread-safe. */
    interface Service extends AutoCloseable {
        /**
         * Sends one announce naming {@code infoHashes} (20 bytes each, at most 16) to each group on each interface.
         * The caller paces its announces (BEP 14: at most one a minute for a torrent); failures are only logged.
         */
        void announce(List<Digest> infoHashes);

        /** Leaves the groups and stops hearing. */
        @Override
        void close();
    }
}
