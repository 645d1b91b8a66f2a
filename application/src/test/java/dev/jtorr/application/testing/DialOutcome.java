package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A connection handler for tests of handshakes: records how a connection ended up, as the connection's encryption
 * ({@code none}, {@code handshake}, {@code rc4}; the connection is then closed) or {@link #FAILED} and the reason.
 */
public final class DialOutcome implements PeerConnection.Handler {
    public static final String FAILED = "failed: ";

    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    private final Consumer<PeerConnection> onConnected;

    public DialOutcome() {
        this(c -> { });
    }

    /** Also calls {@code onConnected} with each connection before closing it. */
    public DialOutcome(Consumer<PeerConnection> onConnected) {
        this.onConnected = onConnected;
    }

    /** The encryption of the connection, or {@link #FAILED} and why dialling failed. */
    public CompletableFuture<String> outcome() {
        return outcome;
    }

    @Override
    public void connected(PeerConnection connection) {
        onConnected.accept(connection);
        outcome.complete(connection.encryption().label());
        connection.close("test over");
    }

    @Override
    public void received(PeerConnection connection, PeerMessage message) {
    }

    @Override
    public void closed(PeerConnection connection, String reason) {
    }

    @Override
    public void failed(PeerAddress address, String reason) {
        outcome.complete(FAILED + reason);
    }
}
