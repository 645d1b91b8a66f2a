package dev.jtorr.application.torrent;

import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.domain.choke.Choker;
import dev.jtorr.domain.peer.RateMeter;
import dev.jtorr.domain.peer.RateLimit;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Blocks;
import dev.jtorr.domain.piece.PieceLayout;
import dev.jtorr.domain.wire.PeerMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One torrent's uploading: which peers are unchoked (the {@link Choker}), the requests they queue, the upload rate
 * limit (a token bucket), and handing blocks to the disk thread, which reads them and queues them on the peer's
 * connection. Lives on the session's thread, as its peers do; the session tells it about peers and time.
 */
final class Uploads {
    static final int MAX_QUEUED_UPLOADS = 2000;
    static final int MAX_BAD_REQUESTS = 20;
    /** Requests a choked Fast peer may make outside its allowed-fast set between unchokes (libtorrent: 300). */
    static final int MAX_CHOKED_REJECTS = 300;
    /** A peer's connection gets more blocks while it has less than this queued or being read. */
    static final long SEND_HIGH_WATER = 1 << 20;
    /** The most bytes read from storage at once for a peer's neighbouring blocks. */
    static final int MAX_READ = 256 << 10;

    /** What the uploads need of the session. */
    interface Swarm {
        /** The connected peers. */
        Collection<Peer> peers();

        /** Whether {@code peer} is still connected and the session still running. */
        boolean isConnected(Peer peer);

        /** Hangs up on a peer that broke the rules. */
        void disconnect(Peer peer, String reason);

        /** Counts {@code bytes} of payload uploaded to {@code peer}. */
        void uploadedTo(Peer peer, long bytes);

        void notice(String message);
    }

    private final Swarm swarm;
    private final PieceLayout layout;
    private final Bitfield have;
    private final TorrentStorage storage;
    private final Scheduler loop;
    private final Scheduler disk;
    private final Choker choker;
    private final RateLimit limit;
    /** This torrent's own number of slots; the engine's {@link SlotPool} may grant fewer. */
    private final int slots;
    private final SlotPool pool;
    private final Supplier<Instant> clock;
    private final RandomGenerator random;
    private final RateMeter rate = new RateMeter();
    private long uploaded;
    private final DeferredOnce retry;

    /**
     * @param have    the pieces we have (read, never changed, here)
     * @param limit   the rate of payload sent (this torrent's and the engine's)
     * @param slots   peers unchoked at once, the optimistic one included; 0 for as many as the engine's slots allow
     * @param pool    the engine's upload slots, shared with its other torrents
     */
    Uploads(Swarm swarm, PieceLayout layout, Bitfield have, TorrentStorage storage, Scheduler loop, Scheduler disk,
            RateLimit limit, int slots, SlotPool pool, Supplier<Instant> clock, RandomGenerator random) {
        this.swarm = swarm;
        this.layout = layout;
        this.have = have;
        this.storage = storage;
        this.loop = loop;
        this.disk = disk;
        this.limit = limit;
        this.slots = slots == 0 ? Integer.MAX_VALUE : slots;
        this.pool = pool;
        this.clock = clock;
        this.random = random;
        this.retry = new DeferredOnce(loop, Duration.ofMillis(20), random, () -> {
            for (Peer p : List.copyOf(swarm.peers())) {
                serve(p);
            }
        });
        this.choker = new Choker(Choker.Config.DEFAULT);
    }

    /** Starts the rate limit (with no tokens) at {@code now}. */
    void start(Instant now) {
        limit.available(now);
    }

    long uploaded() {
        return uploaded;
    }

    long rate(Instant now) {
        return rate.rate(now);
    }

    /** A peer asked for a block: served at once. */
    void onRequest(Peer peer, BlockRequest r) {
        if (queue(peer, r)) {
            serve(peer);
        }
    }

    /**
     * Queues a block a peer asked for, to be served by {@link #serve}; false when the request was dropped. The
     * requests of one batch of messages are served together, so that neighbouring blocks are read at once.
     */
    boolean queue(Peer peer, BlockRequest r) {
        if (r.piece() >= layout.pieceCount() || !have.get(r.piece())
                || !Blocks.isValid(r, layout.requestableSize(r.piece()))) {
            reject(peer, r);
            if (++peer.badRequests > MAX_BAD_REQUESTS) {
                swarm.disconnect(peer, "too many invalid requests");
            }
            return false;
        }
        if (peer.amChoking) {
            if (peer.fast == null) {
                return false; // BEP 3: requests that cross a choke are dropped
            }
            if (!peer.fast.servesChoked(peer, r, blocksPerPiece())) {
                // BEP 6: a request we will not serve gets a reject, so the peer can ask another at once
                reject(peer, r);
                if (++peer.fast.chokedRejects > MAX_CHOKED_REJECTS) {
                    swarm.disconnect(peer, "kept asking while choked: " + MAX_CHOKED_REJECTS + " requests rejected");
                }
                return false;
            }
            peer.fast.chokedBlocks++; // an allowed-fast piece: served though choked
        }
        if (peer.uploads.size() >= MAX_QUEUED_UPLOADS) {
            swarm.disconnect(peer, "request flood: more than " + MAX_QUEUED_UPLOADS + " requests queued");
            return false;
        }
        peer.uploads.add(r);
        return true;
    }

    /**
     * Hands the blocks a peer asked for to the disk thread, while its connection has less than
     * {@link #SEND_HIGH_WATER} queued or being read; the disk thread reads them and queues them on the connection, so
     * a slow disk never stalls the session. They count as uploaded when handed over.
     */
    void serve(Peer peer) {
        Instant now = clock.get();
        long tokens = limit.available(now);
        var batch = new ArrayList<BlockRequest>();
        long bytes = 0;
        long queued = peer.connection.queuedBytes() + peer.uploadsBeingRead;
        // a choked Fast peer's queue holds only requests for its allowed-fast pieces
        while (!peer.uploads.isEmpty() && (!peer.amChoking || peer.fast != null) && queued + bytes < SEND_HIGH_WATER) {
            BlockRequest r = peer.uploads.peek();
            if (tokens < r.length()) {
                pool.limited(now);
                retry.request();
                break;
            }
            peer.uploads.poll();
            tokens -= r.length();
            limit.take(r.length());
            batch.add(r);
            bytes += r.length();
            peer.upload.add(r.length(), now);
            swarm.uploadedTo(peer, r.length());
            rate.add(r.length(), now);
            uploaded += r.length();
            pool.uploaded(r.length());
        }
        if (batch.isEmpty()) {
            return;
        }
        long handedOver = bytes;
        peer.uploadsBeingRead += handedOver;
        disk.execute(() -> {
            // neighbouring blocks of a piece (peers ask for them in order) are read at once: one read of up to
            // MAX_READ instead of one per 16 KiB block
            for (int i = 0; i < batch.size(); ) {
                BlockRequest first = batch.get(i);
                int end = i + 1;
                int length = first.length();
                while (end < batch.size() && length + batch.get(end).length() <= MAX_READ
                        && batch.get(end).piece() == first.piece()
                        && batch.get(end).offset() == first.offset() + length) {
                    length += batch.get(end++).length();
                }
                ByteBuffer data;
                try {
                    data = read(first.piece(), first.offset(), length);
                } catch (StorageException e) {
                    loop.execute(() -> read(peer, handedOver, "cannot read piece " + first.piece() + " for a peer: "
                            + e.getMessage()));
                    return;
                }
                for (int at = 0; i < end; i++) {
                    BlockRequest r = batch.get(i);
                    peer.connection.send(new PeerMessage.Piece(r.piece(), r.offset(), data.slice(at, r.length())));
                    at += r.length();
                }
            }
            loop.execute(() -> read(peer, handedOver, null));
        });
    }

    /** Bytes of a piece as a peer sees them: past the end of the data (a padded tail), zeros. Disk thread. */
    private ByteBuffer read(int piece, int offset, int length) {
        int stored = Math.max(0, Math.min(length, layout.pieceSize(piece) - offset));
        if (stored == length) {
            return storage.readBlock(piece, offset, length);
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        if (stored > 0) {
            out.put(storage.readBlock(piece, offset, stored));
        }
        return out.clear();
    }

    /** The disk thread has read (and queued) a batch of {@link #serve}, or failed to. */
    private void read(Peer peer, long bytes, String failure) {
        peer.uploadsBeingRead -= bytes;
        if (failure != null) {
            swarm.notice(failure);
            rejectQueued(peer, false);
        } else if (swarm.isConnected(peer)) {
            serve(peer);
        }
    }

    /** The choker's round: tit-for-tat (or, seeding, turns for the least served) in the slots, one optimistic. */
    void rechoke(Instant now) {
        var candidates = candidates(now);
        pool.tick(now);
        apply(choker.decide(candidates, allowance(), have.isComplete(), now, random));
    }

    /**
     * Between rounds: a slot that may have come free (a peer lost interest, completed, was snubbed, left) or an
     * interested peer that arrived is dealt with now, not at the next round, so the upload never waits for it.
     */
    void refill() {
        if (swarm.peers().isEmpty()) {
            pool.release(this);
            return;
        }
        Instant now = clock.get();
        var candidates = candidates(now);
        pool.tick(now); // with the peers as they are now: one more waiting may open slots
        apply(choker.refill(candidates, allowance(), have.isComplete(), now));
    }

    /** Once a second between rounds: the engine's slots may have grown or shrunk, a peer may have been snubbed. */
    void tick(Instant now) {
        refill();
    }

    /** The torrent stopped or let its peers go: its slots go back to the engine. */
    void close() {
        pool.release(this);
    }

    private int allowance() {
        return Math.max(1, pool.allowance(this, slots));
    }

    /** The peers as the choker sees them; the engine's slots hear how many are unchoked and how many wait. */
    private List<Choker.Candidate> candidates(Instant now) {
        var candidates = new ArrayList<Choker.Candidate>();
        int unchoked = 0;
        int waiting = 0;
        for (Peer p : swarm.peers()) {
            // BEP 21: an upload-only peer wants nothing from us, whatever it says
            candidates.add(new Choker.Candidate(p.key, p.peerInterested && !p.uploadOnly(), p.download.rate(now),
                    p.upload.rate(now), p.snubbed, !p.amChoking, p.upload.total()));
            if (!p.amChoking) {
                unchoked++;
            } else if (p.peerInterested) {
                waiting++;
            }
        }
        pool.holds(this, unchoked, waiting);
        return candidates;
    }

    private void apply(Set<Long> unchoke) {
        int unchoked = 0;
        int waiting = 0;
        for (Peer p : swarm.peers()) {
            boolean should = unchoke.contains(p.key);
            if (should && p.amChoking) {
                p.amChoking = false;
                if (p.fast != null) {
                    p.fast.chokedRejects = 0;
                }
                p.connection.send(PeerMessage.UNCHOKE);
            } else if (!should && !p.amChoking) {
                p.amChoking = true;
                p.connection.send(PeerMessage.CHOKE); // BEP 6: the choke first, so the rejects are not asked again
                rejectQueued(p, true);
            }
            if (should) {
                unchoked++;
            } else if (p.peerInterested) {
                waiting++;
            }
        }
        pool.holds(this, unchoked, waiting);
    }

    /**
     * Drops the requests queued for a peer: BEP 3 drops them silently; BEP 6 rejects each, and on a choke keeps (and
     * goes on serving) those of the peer's allowed-fast pieces.
     */
    private void rejectQueued(Peer peer, boolean keepAllowedFast) {
        if (peer.fast == null) {
            peer.uploads.clear();
            return;
        }
        for (var i = peer.uploads.iterator(); i.hasNext(); ) {
            BlockRequest r = i.next();
            if (!keepAllowedFast || !peer.fast.servesChoked(peer, r, blocksPerPiece())) {
                i.remove();
                peer.connection.send(new PeerMessage.RejectRequest(r));
            }
        }
    }

    /** A peer cancelled a request: BEP 6 answers one still queued with a reject (one being read goes out). */
    void cancel(Peer peer, BlockRequest r) {
        if (peer.uploads.remove(r)) {
            reject(peer, r);
        }
    }

    /** BEP 6: the one answer to a request we will not serve; nothing without the Fast extension. */
    private static void reject(Peer peer, BlockRequest r) {
        if (peer.fast != null) {
            peer.connection.send(new PeerMessage.RejectRequest(r));
        }
    }

    private int blocksPerPiece() {
        return (int) ((layout.pieceLength() + Blocks.SIZE - 1) / Blocks.SIZE);
    }

    /** A peer left: its slot, if it had one, goes to another at once. */
    void forget(Peer peer) {
        choker.forget(peer.key);
        if (!peer.amChoking) {
            refill();
        }
    }
}
