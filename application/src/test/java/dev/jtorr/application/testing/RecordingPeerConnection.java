package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.wire.Encryption;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A connection to a peer at 10.0.0.2:6881 that we dialled, keeping every message the session sends on it. */
public final class RecordingPeerConnection implements PeerConnection {
    private final Handshake remote;
    private final List<PeerMessage> sent = new ArrayList<>();

    public RecordingPeerConnection(Metainfo metainfo) {
        this.remote = Handshake.ours(metainfo.infoHashes().v1().orElseGet(() -> metainfo.infoHashes().v2Truncated()
                .orElseThrow()), PeerId.generate(new SplittableRandom(9)));
    }

    /** Everything sent so far, in order. */
    public synchronized List<PeerMessage> sent() {
        return List.copyOf(sent);
    }

    @Override
    public PeerAddress address() {
        return new PeerAddress("10.0.0.2", 6881);
    }

    @Override
    public Handshake remote() {
        return remote;
    }

    @Override
    public boolean outgoing() {
        return true;
    }

    @Override
    public Encryption encryption() {
        return Encryption.NONE;
    }

    @Override
    public synchronized void send(PeerMessage message) {
        sent.add(message);
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public void close(String reason) {
    }
}
