package dev.jtorr.application.testing;

import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.wire.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A peer on the simulated network that records what it gets and acts on it by a script, for engine tests. */
public class ScriptedPeer implements PeerConnection.Handler {
    public final List<PeerMessage> got = new ArrayList<>();
    public PeerConnection connection;
    public boolean closed;
    public Consumer<ScriptedPeer> onConnected = s -> { };
    public BiConsumer<ScriptedPeer, PeerMessage> onMessage = (s, m) -> { };
    /** Runs when the connection closes, after {@link #closed} is set. */
    public Runnable onClosed = () -> { };

    public void send(PeerMessage... messages) {
        for (PeerMessage m : messages) {
            connection.send(m);
        }
    }

    /** The messages of one type received so far. */
    public <T extends PeerMessage> List<T> got(Class<T> type) {
        return got.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void connected(PeerConnection c) {
        connection = c;
        onConnected.accept(this);
    }

    @Override
    public void received(PeerConnection c, PeerMessage m) {
        got.add(m);
        onMessage.accept(this, m);
    }

    @Override
    public void closed(PeerConnection c, String reason) {
        closed = true;
        onClosed.run();
    }

    @Override
    public void failed(PeerAddress address, String reason) {
    }
}
