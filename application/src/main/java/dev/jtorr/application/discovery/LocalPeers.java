package dev.jtorr.application.discovery;

import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Local service discovery (BEP 14) as one torrent's peer source: the torrent's info-hashes (a hybrid has two, in one
 * announce) are announced at the first tick and every {@link #INTERVAL} after, as BEP 14 asks; while no local peer
 * has been heard of, sooner: after {@link #RETRY}, then twice as long each time, up to the interval. Never more than
 * one announce a minute. Peers heard of are handed to the pool on the session's thread. Never made for a private
 * torrent (BEP 27).
 */
public final class LocalPeers implements PeerSource {
    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final Duration RETRY = Duration.ofMinutes(1);

    private final List<Digest> infoHashes;
    private final LocalSwarm swarm;
    private final Scheduler loop;
    private final Consumer<PeerAddress> heard;
    private Instant next = Instant.MIN;
    private final RetrySchedule schedule = new RetrySchedule(RETRY, INTERVAL);
    private boolean subscribed;
    /** Set on the session's thread when a peer was handed to the pool. */
    private boolean heardAny;
    private boolean stopped;

    /** @param loop the session's thread: where found peers are handed to the pool */
    public LocalPeers(List<Digest> infoHashes, LocalSwarm swarm, Scheduler loop, Consumer<List<PeerAddress>> pool) {
        this.infoHashes = List.copyOf(infoHashes);
        this.swarm = swarm;
        this.loop = loop;
        this.heard = peer -> loop.execute(() -> {
            if (!stopped) {
                heardAny = true;
                pool.accept(List.of(peer));
            }
        });
    }

    @Override
    public void tick(Instant now) {
        if (stopped) {
            return;
        }
        if (!subscribed) {
            subscribed = true;
            swarm.subscribe(infoHashes, heard);
        }
        if (now.isBefore(next)) {
            return;
        }
        swarm.announce(infoHashes);
        next = schedule.next(now, heardAny);
    }

    @Override
    public void stop(Runnable done) {
        stopped = true;
        if (subscribed) {
            swarm.unsubscribe(infoHashes, heard);
        }
        done.run();
    }
}
