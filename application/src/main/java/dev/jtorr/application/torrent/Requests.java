package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.peer.RequestPipeline;
import dev.jtorr.domain.peer.RateLimit;
import dev.jtorr.domain.picker.PiecePicker;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import dev.jtorr.domain.wire.PeerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One torrent's requesting: which blocks to ask each peer for (the {@link PiecePicker}), how many to keep in flight
 * (a peer's {@link RequestPipeline}, sized to its rate), the download rate limit, and cancelling duplicates in the end
 * game. Lives on the session's thread.
 */
final class Requests {
    /** The torrent's current picker (a recheck makes a new one). */
    private final Supplier<PiecePicker> picker;
    private final Supplier<Collection<Peer>> peers;
    private final BooleanSupplier stopped;
    private final Supplier<Instant> clock;
    private final RandomGenerator random;
    private final RateLimit limit;
    private final DeferredOnce retry;

    /** @param limit the rate of blocks asked for (this torrent's and the engine's) */
    Requests(Supplier<PiecePicker> picker, Supplier<Collection<Peer>> peers, BooleanSupplier stopped, Scheduler loop,
             Supplier<Instant> clock, RandomGenerator random, RateLimit limit) {
        this.picker = picker;
        this.peers = peers;
        this.stopped = stopped;
        this.clock = clock;
        this.random = random;
        this.limit = limit;
        this.retry = new DeferredOnce(loop, Duration.ofMillis(50), random, this::moreFromAll);
    }

    /** Starts the rate limit (with no tokens) at {@code now}. */
    void start(Instant now) {
        limit.available(now);
    }

    /** Tops up a peer's requests, as far as its pipeline, the picker and the rate limit allow. */
    void more(Peer peer) {
        if (peer.peerChoking || !peer.amInterested || stopped.getAsBoolean()) {
            return;
        }
        Instant now = clock.get();
        int want = RequestPipeline.toSend(peer.pipeline.target(peer.download.rate(now), peer.maxRequests()),
                peer.outstanding.size());
        if (want <= 0) {
            return;
        }
        // --download-limit: a block is asked for only when its bytes are in the bucket
        long affordable = limit.available(now) / Blocks.SIZE;
        if (affordable < want) {
            want = (int) affordable;
            retry.request();
            if (want == 0) {
                return;
            }
        }
        if (peer.outstanding.isEmpty()) {
            peer.lastBlock = now;
        }
        for (BlockRequest r : picker.get().pick(peer.has, want, peer.outstanding::contains, random)) {
            peer.outstanding.add(r);
            limit.take(r.length());
            peer.connection.send(new PeerMessage.Request(r));
        }
    }

    /** Tops up every peer's requests. */
    void moreFromAll() {
        for (Peer p : List.copyOf(peers.get())) {
            more(p);
        }
    }

    /** A peer's outstanding requests go back to the picker (it choked us, left, or went silent). */
    void drop(Peer peer) {
        for (BlockRequest r : peer.outstanding) {
            picker.get().requestDropped(r);
        }
        peer.outstanding.clear();
    }

    /** End game: {@code block} arrived from {@code from}; the other peers asked for it are told not to send it. */
    void cancelElsewhere(Peer from, BlockRequest block) {
        for (Peer other : peers.get()) {
            if (other != from && other.outstanding.remove(block)) {
                other.connection.send(new PeerMessage.Cancel(block));
            }
        }
    }
}
