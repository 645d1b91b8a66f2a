package dev.jtorr.application.port.out;

import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import java.util.List;
import java.util.Optional;

/**
 * TCP connections to peers speaking the BitTorrent wire protocol (BEP 3). The adapter does the handshake: it drops
 * a peer whose info-hash does not match before anyone sees it; the session drops self-connections and duplicates.
 * Handler methods are called from the adapter's own threads, one connection's calls in order.
 */
public interface PeerNetwork {
    /**
     * Listens for peers on {@code port}, or on the next free port above it when it is taken (0: any free port).
     *
     * @param bindAddress the local address to listen on; empty for every interface
     * @param encryption  which handshakes (plain text, MSE) incoming peers may open with, and what follows them
     * @throws NetworkException when no port can be bound
     */
    Listening listen(String bindAddress, int port, EncryptionPolicy encryption, Acceptor acceptor);

    /**
     * Dials {@code address} and sends {@code ours}, with the handshakes {@code encryption} allows, in its order; the
     * outcome arrives through {@code handler}. Never blocks.
     */
    void connect(PeerAddress address, Handshake ours, EncryptionPolicy encryption, PeerConnection.Handler handler);

    /** Decides about an incoming peer once its handshake has been read. */
    interface Acceptor {
        /** Our handshake and handler for a peer that sent {@code theirs}, or empty to hang up. */
        Optional<Accepted> accept(Handshake theirs, PeerAddress from);

        /**
         * The info-hashes a peer may name here. An encrypted handshake hides the info-hash and can only be matched
         * against known ones; with none, encrypted handshakes are refused.
         */
        default List<Digest> infoHashes() {
            return List.of();
        }
    }

    /** What to answer an incoming peer with. */
    record Accepted(Handshake ours, PeerConnection.Handler handler) {
    }

    /** A bound listener; closing it stops accepting (open connections stay). */
    interface Listening extends AutoCloseable {
        int port();

        @Override
        void close();
    }
}
