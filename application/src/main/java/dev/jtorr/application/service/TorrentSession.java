package dev.jtorr.application.service;

import dev.jtorr.application.port.in.SessionOptions;
import dev.jtorr.application.port.in.TorrentHandle;
import dev.jtorr.application.port.out.PeerConnection;
import dev.jtorr.application.port.out.PeerNetwork;
import dev.jtorr.application.port.out.ProgressListener;
import dev.jtorr.application.port.out.Scheduler;
import dev.jtorr.application.port.out.StorageException;
import dev.jtorr.application.port.out.TimeSource;
import dev.jtorr.application.port.out.TorrentStorage;
import dev.jtorr.application.port.out.TrackerClient;
import dev.jtorr.domain.swarm.TransferStatus;
import dev.jtorr.domain.swarm.TransferStatus.Phase;
import dev.jtorr.domain.torrent.TorrentLifecycle;
import dev.jtorr.domain.InvalidDataException;
import dev.jtorr.domain.metainfo.Metainfo;
import dev.jtorr.domain.metainfo.PieceVerifier;
import dev.jtorr.domain.peer.PeerAddress;
import dev.jtorr.domain.peer.PeerId;
import dev.jtorr.domain.peer.RateMeter;
import dev.jtorr.domain.peer.RequestPipeline;
import dev.jtorr.domain.picker.PiecePicker;
import dev.jtorr.domain.piece.Bitfield;
import dev.jtorr.domain.piece.BlockRequest;
import dev.jtorr.domain.piece.Digest;
import dev.jtorr.domain.piece.PieceLayout;
import dev.jtorr.domain.wire.Handshake;
import dev.jtorr.domain.wire.PeerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One torrent's swarm: owns its domain state (picker, peers, and through {@link Uploads} the choker) and touches
 * it only from the scheduler's thread. Connections post their events here; the session decides what to request and whom to serve, verifies
 * every piece before it is stored, and bans peers whose data fails.
 */
final class TorrentSession {
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    static final Duration SNUB_TIME = Duration.ofSeconds(60);
    private static final int RESUME_EVERY_TICKS = 30;
    private static final int CHANGE_CHECK_TICKS = 5;
    /** Batches (each at most one socket read) a connection may have waiting for the session thread. */
    private static final int MAX_UNHANDLED_BATCHES = 16;

    /**
     * The ports and parameters a session runs with. {@code disk} is a second thread that hashes finished pieces (and
     * reads what peers ask for), {@code writes} a third that writes the pieces that verified, so that hashing and
     * slow writes never hold up the peers, and a piece is hashed while the one before it is written. Neither touches
     * session state; each posts its results back to {@code scheduler}.
     */
    record Context(PeerNetwork network, TrackerClient trackers, Scheduler scheduler, Scheduler disk,
                   Scheduler writes, TimeSource time, RandomGenerator random, ProgressListener progress,
                   PeerId ourId) {
    }

    private final Metainfo metainfo;
    private final TorrentStorage storage;
    private final SessionOptions options;
    private final boolean keepSeeding;
    private final Context ctx;
    /** The session thread, the disk thread and the write thread, each failing the session if a task throws. */
    private final Scheduler loop;
    private final Scheduler disk;
    private final Scheduler writes;
    private final PieceLayout layout;
    /** Used on the disk thread only (it holds a digest's state). */
    private final PiecePicker picker;
    private final Uploads uploads;
    private final Bitfield have;
    private final Digest wireHash;
    private final List<Digest> acceptedHashes;
    private final long[] userBytes;
    private final long totalUserBytes;
    private final Map<PeerConnection, Peer> peers = new IdentityHashMap<>();
    private final PieceCompletion completion;
    private final BanList bans;
    private final Dialer dialer;
    private final Announcer announcer;
    /** Where the torrent is in its life (checked by the service before the session starts). */
    private final TorrentLifecycle lifecycle = new TorrentLifecycle();
    /** Where peers come from: the addresses given by hand, the trackers. */
    private final List<PeerSource> sources;
    private final boolean completeAtStart;
    private final RateMeter downloadRate = new RateMeter();
    private final Requests requests;
    private final SessionHandle handle;
    private final Map<String, Peer.Exchange> exchanged = new java.util.LinkedHashMap<>();
    private PeerNetwork.Listening listening;
    private Scheduler.Cancellable tickTask;
    private long nextKey;
    private long verifiedUserBytes;
    private long downloaded;
    private int failedPieces;
    private int ticks;
    private boolean resumeDirty;
    private boolean stopped;
    private boolean finished;
    /** While {@link #onMessages} handles a batch, blocks leave asking for more to its end. */
    private boolean inBatch;
    /** Set when stopping starts; read by connection readers waiting in a {@link Backlog}. */
    private volatile boolean closing;
    private final Map<PeerConnection, Backlog> backlogs = new java.util.concurrent.ConcurrentHashMap<>();

    TorrentSession(Metainfo metainfo, TorrentStorage storage, Bitfield verified, SessionOptions options,
                   boolean keepSeeding, Context ctx) {
        this.metainfo = metainfo;
        this.storage = storage;
        this.options = options;
        this.keepSeeding = keepSeeding;
        this.ctx = ctx;
        this.loop = new FailSafeScheduler(ctx.scheduler(), this::crashed);
        this.disk = new FailSafeScheduler(ctx.disk(), e -> loop.execute(() -> crashed(e)));
        this.writes = new FailSafeScheduler(ctx.writes(), e -> loop.execute(() -> crashed(e)));
        var verifier = new PieceVerifier(metainfo);
        this.layout = verifier.layout();
        this.have = verified.copy();
        int maxPartial = (int) Math.max(2, options.memoryBudget() / layout.pieceLength());
        this.completion = new PieceCompletion(layout, verifier, storage, loop, disk, writes, maxPartial,
                new PieceCompletion.Verdicts() {
                    @Override
                    public void verified(int piece, PieceBuffer buffer) {
                        pieceVerified(piece, buffer);
                    }

                    @Override
                    public void failed(int piece, PieceBuffer buffer) {
                        pieceFailed(piece, buffer);
                    }

                    @Override
                    public void notWritten(int piece, String error) {
                        picker.failed(piece);
                        if (!stopped) {
                            fail("cannot write piece " + piece + ": " + error);
                        }
                    }
                });
        this.picker = new PiecePicker(layout::pieceSize, verified,
                new PiecePicker.Options(4, options.sequential(), maxPartial));
        this.wireHash = metainfo.infoHashes().v1().orElseThrow(() -> new IllegalArgumentException(
                "v2-only torrents need the v2 wire protocol"));
        var hashes = new ArrayList<>(List.of(wireHash));
        metainfo.infoHashes().v2Truncated().ifPresent(hashes::add);
        this.acceptedHashes = List.copyOf(hashes);
        this.userBytes = new long[layout.pieceCount()];
        long total = 0;
        for (int p = 0; p < userBytes.length; p++) {
            userBytes[p] = layout.spans(p).stream().filter(s -> !s.padding()).mapToLong(s -> s.length()).sum();
            total += userBytes[p];
            if (have.get(p)) {
                verifiedUserBytes += userBytes[p];
            }
        }
        this.totalUserBytes = total;
        this.bans = new BanList();
        this.dialer = new Dialer();
        this.requests = new Requests(picker, peers::values, () -> stopped, loop, () -> ctx.time().now(), ctx.random(),
                options.downloadLimit());
        this.uploads = new Uploads(new Uploads.Swarm() {
            @Override
            public java.util.Collection<Peer> peers() {
                return peers.values();
            }

            @Override
            public boolean isConnected(Peer peer) {
                return !stopped && peers.get(peer.connection) == peer;
            }

            @Override
            public void disconnect(Peer peer, String reason) {
                TorrentSession.this.disconnect(peer, reason);
            }

            @Override
            public void uploadedTo(Peer peer, long bytes) {
                count(peer, 0, bytes);
            }

            @Override
            public void notice(String message) {
                ctx.progress().notice(message);
            }
        }, layout, have, storage, loop, disk, options.uploadLimit(), options.uploadSlots(), () -> ctx.time().now(),
                ctx.random());
        this.completeAtStart = verified.isComplete();
        lifecycle.check();
        lifecycle.checked(completeAtStart);
        this.announcer = new Announcer(acceptedHashes, options.trackerTiers(metainfo.trackers()), ctx.trackers(),
                loop, ctx.time(), ctx.random(), ctx.ourId(), new Announcer.Session() {
                    @Override
                    public Announcer.Counters counters() {
                        return new Announcer.Counters(listening == null ? 0 : listening.port(), uploads.uploaded(),
                                downloaded, totalUserBytes - verifiedUserBytes);
                    }

                    @Override
                    public void peers(List<PeerAddress> found) {
                        found.forEach(dialer::add);
                    }

                    @Override
                    public void notice(String message) {
                        ctx.progress().notice(message);
                    }
                });
        this.sources = List.of(new ManualPeers(options.peers(), found -> found.forEach(dialer::add)), announcer);
        this.handle = new SessionHandle(this::closeFromOutside);
    }

    SessionHandle handle() {
        return handle;
    }

    /** Binds the listening port (on the caller's thread, so errors reach the caller), then starts the loop. */
    void start() {
        var acceptor = new PeerNetwork.Acceptor() {
            @Override
            public Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
                return TorrentSession.this.accept(theirs, from);
            }

            @Override
            public List<Digest> infoHashes() {
                return acceptedHashes;
            }
        };
        listening = ctx.network().listen(options.bindAddress(), options.port(), options.encryption(), acceptor);
        handle.started(listening.port(), status());
        if (have.isComplete()) {
            handle.completed();
        }
        loop.execute(() -> {
            uploads.start(ctx.time().now());
            requests.start(ctx.time().now());
            tick();
        });
    }

    // ---- connections ----------------------------------------------------------------------------------------

    private Optional<PeerNetwork.Accepted> accept(Handshake theirs, PeerAddress from) {
        int match = acceptedHashes.indexOf(theirs.infoHash());
        if (match < 0 || stopped) {
            return Optional.empty();
        }
        return Optional.of(new PeerNetwork.Accepted(Handshake.ours(acceptedHashes.get(match), ctx.ourId()),
                new Events(null)));
    }

    private void dial(PeerAddress address) {
        ctx.network().connect(address, Handshake.ours(wireHash, ctx.ourId()), options.encryption(),
                new Events(address));
    }

    /** Turns a connection's callbacks (adapter threads) into tasks on the session thread. */
    private final class Events implements PeerConnection.Handler {
        private final PeerAddress dialled;

        Events(PeerAddress dialled) {
            this.dialled = dialled;
        }

        @Override
        public void connected(PeerConnection c) {
            loop.execute(() -> onConnected(c, dialled));
        }

        @Override
        public void received(PeerConnection c, PeerMessage m) {
            loop.execute(() -> onMessage(c, m));
        }

        /** Called by a connection's reader; waits while this connection has too many batches unhandled. */
        @Override
        public void receivedAll(PeerConnection c, List<PeerMessage> messages, Runnable handled) {
            Backlog backlog = backlogs.computeIfAbsent(c, k -> new Backlog(MAX_UNHANDLED_BATCHES));
            if (!backlog.enter(() -> closing, 100)) {
                handled.run();
                return; // the session is stopping: the batch is dropped
            }
            loop.execute(() -> {
                try {
                    onMessages(c, messages); // block data is copied out, never kept
                } finally {
                    backlog.leave();
                    handled.run();
                }
            });
        }

        @Override
        public void drained(PeerConnection c) {
            loop.execute(() -> {
                Peer p = peers.get(c);
                if (p != null) {
                    uploads.serve(p);
                }
            });
        }

        @Override
        public void closed(PeerConnection c, String reason) {
            loop.execute(() -> onClosed(c, reason));
        }

        @Override
        public void failed(PeerAddress address, String reason) {
            loop.execute(() -> dialer.failed(address, ctx.time().now()));
        }
    }

    private void onConnected(PeerConnection c, PeerAddress dialledAddress) {
        PeerAddress dialled = dialledAddress;
        PeerId id = c.remote().peerId();
        Peer existing = peers.values().stream().filter(p -> p.id.equals(id)).findFirst().orElse(null);
        String refuse = stopped ? "shutting down"
                : id.equals(ctx.ourId()) ? "connected to ourselves"
                : bans.isBanned(id) ? "banned"
                : existing != null && !survivesDuplicate(c) ? "already connected"
                : existing == null && peers.size() >= options.maxConnections() ? "too many connections"
                : null;
        if (refuse != null) {
            c.close(refuse);
            if (dialled != null && id.equals(ctx.ourId())) {
                dialer.forget(dialled); // a tracker handed us our own address
            } else if (dialled != null && existing != null) {
                // we reach this peer through the other connection: remember to dial it when that one ends
                existing.dialled = existing.dialled == null ? dialled : existing.dialled;
                dialer.connected(dialled);
            } else if (dialled != null) {
                dialer.failed(dialled, ctx.time().now());
            }
            return;
        }
        if (existing != null) {
            PeerAddress keep = existing.dialled;
            existing.dialled = null;
            disconnect(existing, "already connected");
            dialled = dialled == null ? keep : dialled;
        }
        var peer = new Peer(nextKey++, c, dialled, layout.pieceCount(), ctx.time().now());
        peers.put(c, peer);
        if (dialled != null) {
            dialer.connected(dialled);
        }
        if (have.count() > 0) {
            c.send(new PeerMessage.Bitfield(have.toWire()));
        }
    }

    /**
     * Both peers dialled each other at once: each side must keep the same one of the two connections, so the one
     * dialled by the smaller peer id survives.
     */
    private boolean survivesDuplicate(PeerConnection c) {
        byte[] mine = ctx.ourId().bytes();
        byte[] theirs = c.remote().peerId().bytes();
        boolean weAreSmaller = java.util.Arrays.compareUnsigned(mine, theirs) < 0;
        return c.outgoing() == weAreSmaller;
    }

    private void onClosed(PeerConnection c, String reason) {
        backlogs.remove(c);
        Peer peer = peers.remove(c);
        if (peer == null) {
            return;
        }
        picker.peerLeft(peer.has);
        requests.drop(peer);
        uploads.forget(peer);
        if (peer.dialled != null) {
            dialer.disconnected(peer.dialled, ctx.time().now());
        }
    }

    private void disconnect(Peer peer, String reason) {
        peer.connection.close(reason);
        onClosed(peer.connection, reason);
    }

    // ---- messages -------------------------------------------------------------------------------------------

    /**
     * Messages that arrived together. The blocks among them ask for more only once, after the last: the requests then
     * leave as one burst (one wake-up of the connection's writer, one send) rather than one request per block, each
     * waking the writer for a 17-byte send.
     */
    private void onMessages(PeerConnection c, List<PeerMessage> messages) {
        inBatch = true;
        try {
            for (PeerMessage m : messages) {
                onMessage(c, m);
            }
        } finally {
            inBatch = false;
        }
        Peer peer = peers.get(c);
        if (peer != null && peer.moreRequestsDue) {
            peer.moreRequestsDue = false;
            requests.more(peer);
        }
    }

    private void onMessage(PeerConnection c, PeerMessage message) {
        Peer peer = peers.get(c);
        if (peer == null || stopped) {
            return;
        }
        try {
            if (message instanceof PeerMessage.Piece p) {
                onPiece(peer, p); // nearly every message of a download: kept out of the type switch below
                return;
            }
            switch (message) {
                case PeerMessage.Bitfield b -> onBitfield(peer, b);
                case PeerMessage.Have h -> onHave(peer, h.piece());
                case PeerMessage.Choke x -> {
                    peer.peerChoking = true;
                    requests.drop(peer);
                }
                case PeerMessage.Unchoke x -> {
                    peer.peerChoking = false;
                    peer.lastBlock = ctx.time().now();
                    requests.more(peer);
                }
                case PeerMessage.Interested x -> {
                    peer.peerInterested = true;
                    uploads.unchokeIfSlotFree(peer);
                }
                case PeerMessage.NotInterested x -> peer.peerInterested = false;
                case PeerMessage.Request r -> uploads.onRequest(peer, r.block());
                case PeerMessage.Cancel x -> peer.uploads.remove(x.block());
                case PeerMessage.Piece p -> onPiece(peer, p);
                case PeerMessage.KeepAlive x -> { }
                case PeerMessage.Port x -> { }
                case PeerMessage.Unknown x -> { }
            }
        } catch (InvalidDataException e) {
            disconnect(peer, e.getMessage());
        }
    }

    /**
     * A peer's pieces. BEP 3 has the bitfield first; aria2 sends it again later (and after other messages), so a
     * later one replaces what we knew, as libtorrent does, rather than ending the connection.
     */
    private void onBitfield(Peer peer, PeerMessage.Bitfield b) {
        Bitfield bits = Bitfield.fromWire(b.bits(), layout.pieceCount());
        if (peer.has.count() > 0) {
            picker.peerLeft(peer.has);
            for (int i = peer.has.nextSet(0); i >= 0; i = peer.has.nextSet(i + 1)) {
                peer.has.clear(i);
            }
        }
        for (int i = bits.nextSet(0); i >= 0; i = bits.nextSet(i + 1)) {
            peer.has.set(i);
        }
        picker.peerHas(bits);
        if (peer.isSeed() && have.isComplete()) {
            disconnect(peer, "both complete");
            return;
        }
        updateInterest(peer);
        requests.more(peer);
    }

    private void onHave(Peer peer, int piece) {
        if (piece < 0 || piece >= layout.pieceCount()) {
            throw new InvalidDataException("have for piece " + piece + " of " + layout.pieceCount());
        }
        if (peer.has.set(piece)) {
            picker.peerHas(piece);
            if (peer.isSeed() && have.isComplete()) {
                disconnect(peer, "both complete");
                return;
            }
            updateInterest(peer);
            requests.more(peer);
        }
    }

    private void updateInterest(Peer peer) {
        boolean want = !picker.isComplete() && picker.isInteresting(peer.has);
        if (want != peer.amInterested) {
            peer.amInterested = want;
            peer.connection.send(want ? PeerMessage.INTERESTED : PeerMessage.NOT_INTERESTED);
            if (want) {
                peer.lastBlock = ctx.time().now();
            }
        }
    }

    // ---- downloading ----------------------------------------------------------------------------------------

    private void onPiece(Peer peer, PeerMessage.Piece message) {
        BlockRequest block = message.block();
        Instant now = ctx.time().now();
        if (!peer.outstanding.remove(block)) {
            return; // not asked for, or cancelled in end game: drop the data
        }
        peer.pipeline.blockReceived(peer.download.rate(now), RequestPipeline.DEFAULT_MAX);
        peer.download.add(block.length(), now);
        count(peer, block.length(), 0);
        downloadRate.add(block.length(), now);
        downloaded += block.length();
        peer.lastBlock = now;
        peer.snubbed = false;
        if (picker.received(block)) {
            completion.put(block, message.data(), peer.id);
            if (picker.requestedElsewhere(block)) {
                requests.cancelElsewhere(peer, block); // end game only: before it, no other peer was asked for this block
            }
            if (picker.isPieceReceived(block.piece())) {
                completion.complete(block.piece());
            }
        }
        if (inBatch) {
            peer.moreRequestsDue = true; // onMessages asks once the batch is done
        } else {
            requests.more(peer);
        }
    }

    /** Counts payload exchanged with a peer; called per block, so the peer's counters are looked up once. */
    private void count(Peer peer, long down, long up) {
        if (peer.exchange == null) {
            String address = peer.connection.address().toString();
            peer.exchange = exchanged.computeIfAbsent(address + " " + peer.id,
                    k -> new Peer.Exchange(address, peer.id.client(), peer.id.toString(),
                            peer.connection.encryption().label()));
        }
        peer.exchange.downloaded += down;
        peer.exchange.uploaded += up;
    }

    private List<TorrentHandle.PeerStats> exchangedStats() {
        var out = new ArrayList<TorrentHandle.PeerStats>(exchanged.size());
        for (Peer.Exchange e : exchanged.values()) {
            out.add(new TorrentHandle.PeerStats(e.address, e.client, e.peerId, e.encryption, e.downloaded,
                    e.uploaded));
        }
        return out;
    }

    /** A piece failed its hash check: fetched again; the peers that sent it may be banned. */
    private void pieceFailed(int piece, PieceBuffer buffer) {
        picker.failed(piece);
        if (stopped) {
            return;
        }
        failedPieces++;
        ctx.progress().notice("piece " + piece + " failed its hash check; downloading it again");
        bans.pieceFailed(piece, buffer).forEach(this::ban);
        completion.recycle(buffer);
        requests.moreFromAll();
    }

    /** A piece verified and is written: we have it. */
    private void pieceVerified(int piece, PieceBuffer buffer) {
        picker.verified(piece);
        have.set(piece);
        verifiedUserBytes += userBytes[piece];
        resumeDirty = true;
        if (stopped) {
            return; // recorded: the resume data saved when stopping includes it
        }
        bans.pieceVerified(piece, buffer).forEach(this::ban);
        completion.recycle(buffer);
        for (Peer p : List.copyOf(peers.values())) {
            // a seed needs no HAVE (BEP 3 asks for none): 4 messages per piece from four seeders, each a wake-up of
            // the connection's writer and a send, CPU 3.47 -> 3.29 s for 1 GiB (medians of 7 alternated runs, wall
            // unchanged). A peer with some pieces gets one even for a piece it has: a super-seed (BEP 16) reveals
            // pieces one at a time and waits for our HAVE of the last one before it offers the next.
            if (!p.isSeed()) {
                p.connection.send(new PeerMessage.Have(piece));
            }
            updateInterest(p);
        }
        if (have.isComplete()) {
            completed();
        } else {
            requests.moreFromAll();
        }
    }

    private void ban(PeerId id) {
        ctx.progress().notice("banned peer " + id.client() + " (" + id + ") for sending data that failed the "
                + "hash check");
        for (Peer p : List.copyOf(peers.values())) {
            if (p.id.equals(id)) {
                if (p.dialled != null) {
                    dialer.forget(p.dialled);
                }
                disconnect(p, "banned: sent corrupt data");
            }
        }
    }

    private void completed() {
        lifecycle.completed();
        storage.finish();
        storage.saveResume(have);
        resumeDirty = false;
        TransferStatus s = status();
        handle.update(s);
        ctx.progress().transfer(s);
        handle.completed();
        if (!completeAtStart) {
            announcer.completed();
        }
        if (!keepSeeding) {
            stop();
            return;
        }
        for (Peer p : List.copyOf(peers.values())) {
            if (p.isSeed()) {
                disconnect(p, "both complete");
            }
        }
    }

    // ---- time -----------------------------------------------------------------------------------------------

    private void tick() {
        if (stopped) {
            return;
        }
        Instant now = ctx.time().now();
        ticks++;
        for (Peer p : List.copyOf(peers.values())) {
            if (!p.outstanding.isEmpty() && Duration.between(p.lastBlock, now).compareTo(REQUEST_TIMEOUT) > 0) {
                p.snubbed = true;
                requests.drop(p); // re-requested from other peers
                requests.moreFromAll();
            } else if (p.amInterested && !p.peerChoking
                    && Duration.between(p.lastBlock, now).compareTo(SNUB_TIME) > 0) {
                p.snubbed = true;
            }
            uploads.serve(p);
        }
        if (ticks % 10 == 1) {
            uploads.rechoke(now);
        }
        sources.forEach(s -> s.tick(now));
        if (!have.isComplete() || keepSeeding) {
            for (PeerAddress a : dialer.due(now, options.maxConnections() - peers.size())) {
                dial(a);
            }
        }
        // file checks and resume records are disk work: done on the disk thread, so a slow disk never stalls peers
        if (ticks % CHANGE_CHECK_TICKS == 0) {
            disk.execute(() -> {
                if (storage.changedOnDisk()) {
                    // a seed's data must stay as checked: serving changed files would hand out data failing the hash
                    loop.execute(() -> failUnlessStopped("the data changed on disk while seeding (a file's size or modification "
                            + "time differs from when it was checked); run jtorr seed again to check it"));
                }
            });
        }
        if (resumeDirty && ticks % RESUME_EVERY_TICKS == 0) {
            Bitfield verified = have.copy(); // only pieces already written: have is set once the disk thread wrote
            disk.execute(() -> storage.saveResume(verified));
            resumeDirty = false;
        }
        TransferStatus s = status();
        handle.update(s);
        handle.peers(exchangedStats());
        ctx.progress().transfer(s);
        tickTask = loop.after(TICK, this::tick);
    }

    TransferStatus status() {
        Instant now = ctx.time().now();
        long down = downloadRate.rate(now);
        Phase phase = switch (lifecycle.state()) {
            case SEEDING -> Phase.SEEDING;
            case CHECKING -> Phase.CHECKING;
            case STOPPED, ERROR -> have.isComplete() ? Phase.DONE : Phase.DOWNLOADING;
            default -> Phase.DOWNLOADING;
        };
        long left = totalUserBytes - verifiedUserBytes;
        Optional<Duration> eta = left == 0 ? Optional.of(Duration.ZERO)
                : down > 0 ? Optional.of(Duration.ofSeconds(left / down)) : Optional.empty();
        return new TransferStatus(phase, verifiedUserBytes, totalUserBytes, down, uploads.rate(now), downloaded,
                uploads.uploaded(), peers.size(), failedPieces, bans.count(), eta);
    }

    // ---- stopping -------------------------------------------------------------------------------------------

    /** A task threw: stop with the reason rather than go on with state the task left half-updated. */
    private void crashed(Throwable e) {
        String reason = e instanceof OutOfMemoryError
                ? "out of memory (" + e.getMessage() + "); give Java more heap, e.g. JTORR_JAVA_OPTS=-Xmx2g"
                : "internal error: " + e;
        if (!stopped) {
            try {
                fail(reason);
                return;
            } catch (RuntimeException | Error again) {
                // stopping failed too: fall through to the last resort
            }
        }
        if (!finished) {
            // report it and release whoever waits for the session
            finished = true;
            closing = true;
            handle.failed(reason);
            handle.stopped(status());
            ctx.disk().shutdown();
            ctx.writes().shutdown();
            ctx.scheduler().shutdown();
        }
    }

    private void fail(String reason) {
        handle.failed(reason);
        if (!stopped) {
            lifecycle.fail(reason);
        }
        stop();
    }

    private void failUnlessStopped(String reason) {
        if (!stopped) {
            fail(reason);
        }
    }

    private void closeFromOutside() {
        loop.execute(this::stop);
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        lifecycle.stop();
        closing = true;
        if (tickTask != null) {
            tickTask.cancel();
        }
        if (listening != null) {
            listening.close();
        }
        for (Peer p : List.copyOf(peers.values())) {
            p.connection.close("shutting down");
        }
        peers.clear();
        // pieces still on the disk or write thread are recorded (their results are queued ahead: the disk thread
        // hands pieces to the write thread in order) before resume data is saved
        disk.execute(() -> writes.execute(() -> loop.execute(this::finishStop)));
    }

    private void finishStop() {
        finished = true;
        disk.shutdown();
        writes.shutdown();
        try {
            storage.saveResume(have);
        } catch (StorageException e) {
            ctx.progress().notice("could not save resume data: " + e.getMessage());
        }
        storage.close();
        TransferStatus s = status();
        ctx.progress().transfer(s);
        handle.peers(exchangedStats());
        stopSources(() -> {
            handle.stopped(s);
            loop.shutdown();
        });
    }

    /** Stops every peer source, then runs {@code done} once all of them are finished. */
    private void stopSources(Runnable done) {
        int[] running = {sources.size()};
        for (PeerSource source : sources) {
            source.stop(() -> {
                if (--running[0] == 0) {
                    done.run();
                }
            });
        }
    }
}
