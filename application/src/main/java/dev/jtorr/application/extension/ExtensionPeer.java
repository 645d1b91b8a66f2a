package dev.jtorr.application.extension;

import dev.jtorr.domain.peer.PeerAddress;

/** A connected peer as an extension sees it. Engine thread only. */
public interface ExtensionPeer {
    PeerAddress address();

    /** Whether the peer's extension handshake named {@code extension}. */
    boolean supports(String extension);

    /** The peer's last extension handshake, for the keys an extension reads (e.g. {@code metadata_size}). */
    dev.jtorr.domain.bencode.BDictionary handshake();

    /** Sends {@code payload} to the peer under {@code extension}'s id in its handshake; dropped if it has none. */
    void send(String extension, byte[] payload);

    /** Hangs up on a peer that broke an extension's rules. */
    void close(String reason);
}
