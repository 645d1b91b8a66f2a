package dev.jtorr.application.torrent;

import dev.jtorr.application.extension.ExtensionPeer;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.PeerMessage;

/** A connected peer as the extensions of its torrent (or metadata fetch) see it. Engine thread. */
final class ExtensionView implements ExtensionPeer {
    private final Peer peer;
    private final PeerSet peers;

    private ExtensionView(Peer peer, PeerSet peers) {
        this.peer = peer;
        this.peers = peers;
    }

    /** The peer's view, made when first needed. */
    static ExtensionPeer of(Peer peer, PeerSet peers) {
        if (peer.extensionView == null) {
            peer.extensionView = new ExtensionView(peer, peers);
        }
        return peer.extensionView;
    }

    Peer peer() {
        return peer;
    }

    @Override
    public PeerAddress address() {
        return peer.connection.address();
    }

    @Override
    public boolean supports(String extension) {
        return peer.extensions.supports(extension);
    }

    @Override
    public BDictionary handshake() {
        return peer.extensions.handshake();
    }

    @Override
    public void send(String extension, byte[] payload) {
        int id = peer.extensions.id(extension);
        if (id > 0 && peers.isConnected(peer)) {
            peer.connection.send(new PeerMessage.Extended(id, payload));
        }
    }

    @Override
    public void close(String reason) {
        if (peers.isConnected(peer)) {
            peers.disconnect(peer, reason);
        }
    }

    @Override
    public String toString() {
        return peer.toString();
    }
}
