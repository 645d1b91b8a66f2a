package dev.jtorr.application.discovery;

import dev.jtorr.domain.peer.PeerAddress;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** The peers given on the command line ({@code --peer}): handed to the pool at the first tick. */
public final class ManualPeers implements PeerSource {
    private final List<PeerAddress> peers;
    private final Consumer<List<PeerAddress>> pool;
    private boolean given;

    public ManualPeers(List<PeerAddress> peers, Consumer<List<PeerAddress>> pool) {
        this.peers = List.copyOf(peers);
        this.pool = pool;
    }

    @Override
    public void tick(Instant now) {
        if (!given) {
            given = true;
            pool.accept(peers);
        }
    }

    @Override
    public void stop(Runnable done) {
        done.run();
    }
}
