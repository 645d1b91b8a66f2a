package dev.jtorr.application.discovery;

import dev.jtorr.application.port.out.DhtNetwork;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.piece.Digest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The DHT as one torrent's peer source: each info-hash (a hybrid torrent has two) is looked up and our port announced
 * at the first tick, again every {@link #INTERVAL}, and sooner while lookups find nothing, as they may while the
 * network is still forming: after {@link #RETRY}, then twice as long each time, up to the interval.
 * Never made for a private torrent (BEP 27).
 */
public final class DhtPeers implements PeerSource {
    static final Duration INTERVAL = Duration.ofMinutes(15);
    static final Duration RETRY = Duration.ofSeconds(10);

    private final List<Digest> infoHashes;
    private final DhtNetwork.Node node;
    private final Scheduler loop;
    private final IntSupplier port;
    private final Consumer<List<PeerAddress>> pool;
    private Instant next = Instant.MIN;
    private int running;
    private int foundThisRound;
    private final RetrySchedule schedule = new RetrySchedule(RETRY, INTERVAL);
    private boolean stopped;

    /**
     * @param loop the session's thread: where found peers are handed to the pool
     * @param port the port to announce (the engine's listener)
     */
    public DhtPeers(List<Digest> infoHashes, DhtNetwork.Node node, Scheduler loop, IntSupplier port,
                    Consumer<List<PeerAddress>> pool) {
        this.infoHashes = List.copyOf(infoHashes);
        this.node = node;
        this.loop = loop;
        this.port = port;
        this.pool = pool;
    }

    @Override
    public void tick(Instant now) {
        if (stopped || running > 0 || now.isBefore(next)) {
            return;
        }
        running = infoHashes.size();
        foundThisRound = 0;
        for (Digest h : infoHashes) {
            node.getPeers(h, port.getAsInt(), found -> loop.execute(() -> {
                if (!stopped) {
                    pool.accept(found);
                }
            }), total -> loop.execute(() -> finished(total, now)));
        }
    }

    private void finished(int found, Instant started) {
        foundThisRound += found;
        if (--running == 0) {
            next = schedule.next(started, foundThisRound > 0);
        }
    }

    @Override
    public void stop(Runnable done) {
        stopped = true;
        done.run();
    }
}
