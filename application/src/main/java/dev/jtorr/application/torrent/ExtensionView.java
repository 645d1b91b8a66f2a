package dev.jtorr.application.torrent;

import dev.jtorr.application.extension.ExtensionPeer;
import dev.jtorr.domain.bencode.BDictionary;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.Encryption;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.Optional;

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
    public Optional<PeerAddress> listenAddress() {
        if (peer.dialled != null) {
            return Optional.of(peer.dialled);
        }
        var port = peer.extensions.listenPort();
        return port.isPresent() ? Optional.of(new PeerAddress(address().host(), port.getAsInt())) : Optional.empty();
    }

    @Override
    public boolean outgoing() {
        return peer.connection.outgoing();
    }

    @Override
    public boolean seed() {
        return peer.isSeed();
    }

    @Override
    public boolean encrypted() {
        return peer.connection.encryption() != Encryption.NONE;
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
