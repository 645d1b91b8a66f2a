package dev.jtorr.application.extension;

import dev.jtorr.domain.peer.PeerAddress;
import java.util.Optional;

/** A connected peer as an extension sees it. Engine thread only. */
public interface ExtensionPeer {
    PeerAddress address();

    /** Whether the peer's extension handshake named {@code extension}. */
    boolean supports(String extension);

    /** The peer's last extension handshake, for the keys an extension reads (e.g. {@code metadata_size}). */
    dev.jtorr.domain.bencode.BDictionary handshake();

    /** Sends {@code payload} to the peer under {@code extension}'s id in its handshake; dropped if it has none. */
    void send(String extension, byte[] payload);

    /** Where the peer can be dialled: the address we dialled, or its host with its handshake's {@code p}. */
    default Optional<PeerAddress> listenAddress() {
        return Optional.empty();
    }

    /** Whether we dialled the peer, so that it is known to accept connections. */
    default boolean outgoing() {
        return false;
    }

    /** Whether the peer is known to have every piece. */
    default boolean seed() {
        return false;
    }

    /** Whether the connection to the peer is encrypted (MSE). */
    default boolean encrypted() {
        return false;
    }

    /** Hangs up on a peer that broke an extension's rules. */
    void close(String reason);
}
