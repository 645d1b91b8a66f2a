package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.EncryptionPolicy;
import dev.jtorr.domain.wire.Handshake;
import java.util.concurrent.atomic.AtomicReference;

/** A network that never connects anything itself: it keeps the handler a session gives for the peer it dials. */
public final class CapturingNetwork implements PeerNetwork {
    public final AtomicReference<PeerConnection.Handler> handler = new AtomicReference<>();

    @Override
    public Listening listen(String bindAddress, int port, EncryptionPolicy encryption, Acceptor acceptor) {
        return new Listening() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void connect(PeerAddress address, Handshake ours, EncryptionPolicy encryption,
                        PeerConnection.Handler h) {
        handler.set(h);
    }
}
