package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.domain.peer.RequestPipeline;
import dev.jtorr.domain.peer.RateLimit;
import dev.jtorr.domain.picker.PiecePicker;
import dev.jtorr.domain.piece.Bitfield;
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
 * game; with the Fast extension (BEP 6), asking a choking peer for the pieces it allowed us, taking its suggestions as
 * a hint, and giving rejected requests back to the picker. Lives on the session's thread.
 */
final class Requests {
    private static final int[] NO_SUGGESTIONS = {};
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
        if (!peer.amInterested || stopped.getAsBoolean()) {
            return;
        }
        Bitfield from = peer.has;
        if (peer.peerChoking) {
            // BEP 6: a choking peer serves the pieces it allowed us, and only those
            from = allowedWhileChoked(peer);
            if (from == null) {
                return;
            }
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
        int[] suggested = peer.fast == null ? NO_SUGGESTIONS : peer.fast.suggested;
        for (BlockRequest r : picker.get().pick(from, want, peer.outstanding::contains, random, suggested)) {
            peer.outstanding.add(r);
            limit.take(r.length());
            peer.connection.send(new PeerMessage.Request(r));
        }
    }

    /** The pieces a choking peer has and allowed us (BEP 6), or null when there are none. */
    private static Bitfield allowedWhileChoked(Peer peer) {
        if (peer.fast == null || peer.fast.allowedToUs == null) {
            return null;
        }
        Bitfield allowed = peer.fast.allowedToUs;
        Bitfield from = new Bitfield(peer.has.size());
        for (int i = allowed.nextSet(0); i >= 0; i = allowed.nextSet(i + 1)) {
            if (peer.has.get(i)) {
                from.set(i);
            }
        }
        return from.isEmpty() ? null : from;
    }

    /**
     * BEP 6: a peer rejected a request. One outstanding goes back to the picker (for any peer, soon); one we stopped
     * waiting for was owed an answer. Returns false for a request we never made.
     */
    boolean rejected(Peer peer, BlockRequest block) {
        if (peer.outstanding.remove(block)) {
            picker.get().requestDropped(block);
            retry.request();
            return true;
        }
        return peer.fast != null && peer.fast.answered(block);
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
            if (peer.fast != null) {
                peer.fast.forget(r); // BEP 6: its block or its reject may still come
            }
        }
        peer.outstanding.clear();
    }

    /** End game: {@code block} arrived from {@code from}; the other peers asked for it are told not to send it. */
    void cancelElsewhere(Peer from, BlockRequest block) {
        for (Peer other : peers.get()) {
            if (other != from && other.outstanding.remove(block)) {
                other.connection.send(new PeerMessage.Cancel(block));
                if (other.fast != null) {
                    other.fast.forget(block); // BEP 6: answered still, by the block or a reject
                }
            }
        }
    }
}
